//! The paper's figures (Section 3), built from the library's construction.
