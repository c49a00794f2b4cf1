//! POITS formulas: conjunctions of clauses with exactly three positive literals.

/// A Positive 1-in-3 SAT formula over variables `1..=num_vars`. Every clause holds three
/// positive literals (variable indices, 1-based); a variable may repeat inside a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formula {
    /// Number of variables `n`.
    pub num_vars: usize,
    /// The clauses `C_1..C_m`, each three 1-based variable indices.
    pub clauses: Vec<[usize; 3]>,
}

/// A truth assignment: `values[i - 1]` is the value of variable `v_i`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Assignment {
    /// Truth values, index 0 is `v_1`.
    pub values: Vec<bool>,
}

impl Assignment {
    /// The assignment whose true variables are `true_vars` (1-based) among `num_vars`.
    pub fn from_true_vars(num_vars: usize, true_vars: &[usize]) -> Self {
        let mut values = vec![false; num_vars];
        for &v in true_vars {
            values[v - 1] = true;
        }
        Assignment { values }
    }

    /// The 1-based indices of the true variables, ascending.
    pub fn true_vars(&self) -> Vec<usize> {
        (1..=self.values.len())
            .filter(|&v| self.values[v - 1])
            .collect()
    }

    /// Value of variable `v` (1-based).
    pub fn get(&self, v: usize) -> bool {
        self.values[v - 1]
    }
}

impl Formula {
    /// Number of clauses `m`.
    pub fn num_clauses(&self) -> usize {
        self.clauses.len()
    }

    /// Check that every literal names a variable in `1..=num_vars`.
    pub fn validate(&self) -> Result<(), crate::Malformed> {
        self.rules().map_err(crate::Malformed)
    }

    /// The checks of [`Self::validate`], first failure in words.
    fn rules(&self) -> Result<(), String> {
        for (j, c) in self.clauses.iter().enumerate() {
            for &v in c {
                if v == 0 || v > self.num_vars {
                    return Err(format!(
                        "clause {}: variable {v} is outside 1..={}",
                        j + 1,
                        self.num_vars
                    ));
                }
            }
        }
        Ok(())
    }

    /// Number of true literals of clause `j` (0-based) under `a` (a repeated variable counts
    /// once per occurrence).
    pub fn true_literals(&self, j: usize, a: &Assignment) -> usize {
        self.clauses[j].iter().filter(|&&v| a.get(v)).count()
    }

    /// `a` makes exactly one literal of every clause true.
    pub fn is_solution(&self, a: &Assignment) -> bool {
        a.values.len() == self.num_vars
            && (0..self.clauses.len()).all(|j| self.true_literals(j, a) == 1)
    }

    /// For a solution, the position `r` (1-based, in 1..=3) of the true literal of each clause.
    pub fn chosen_literals(&self, a: &Assignment) -> Option<Vec<usize>> {
        if !self.is_solution(a) {
            return None;
        }
        Some(
            self.clauses
                .iter()
                .map(|c| 1 + c.iter().position(|&v| a.get(v)).expect("one true literal"))
                .collect(),
        )
    }
}
