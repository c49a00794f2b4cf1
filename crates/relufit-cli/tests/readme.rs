//! The README and the command line agree: every command has a row in the README's command
//! table, every flag a row mentions exists, every required argument is shown, and the exit
//! codes in the README are the ones `--help` prints for every command.

use clap::Command;
use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap()
}

/// The command lines in the first column of the README's command table.
fn table_rows(readme: &str) -> Vec<String> {
    readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `relufit "))
        .map(|rest| rest.split('`').next().unwrap_or("").replace("\\|", "|"))
        .collect()
}

/// Every leaf command as its path of names, e.g. `["gen", "planted"]`.
fn leaves(cmd: &Command, path: Vec<String>, out: &mut Vec<(Vec<String>, Command)>) {
    let subs: Vec<&Command> = cmd
        .get_subcommands()
        .filter(|c| c.get_name() != "help")
        .collect();
    if subs.is_empty() {
        out.push((path.clone(), cmd.clone()));
    }
    for s in subs {
        let mut p = path.clone();
        p.push(s.get_name().to_string());
        leaves(s, p, out);
    }
}

#[test]
fn every_command_has_a_readme_row_that_matches_its_arguments() {
    let text = readme();
    let rows = table_rows(&text);
    let mut all = Vec::new();
    leaves(&relufit_cli::command(), Vec::new(), &mut all);
    let mut problems = Vec::new();
    for (path, cmd) in &all {
        let name = path.join(" ");
        let row = rows.iter().find(|r| {
            let words: Vec<&str> = r.split_whitespace().collect();
            words.len() >= path.len()
                && words[..path.len()] == path.iter().map(String::as_str).collect::<Vec<_>>()[..]
        });
        let Some(row) = row else {
            problems.push(format!("`relufit {name}` has no row in the README's table"));
            continue;
        };
        let tokens: Vec<&str> = row.split_whitespace().skip(path.len()).collect();
        // Flags shown must exist.
        for t in &tokens {
            let flag = t.trim_start_matches('[').trim_end_matches(']');
            if !flag.starts_with('-') {
                continue;
            }
            let known = cmd.get_arguments().any(|a| {
                a.get_long().is_some_and(|l| flag == format!("--{l}"))
                    || a.get_short().is_some_and(|s| flag == format!("-{s}"))
            });
            if !known {
                problems.push(format!(
                    "`relufit {name}`: the README shows `{flag}`, unknown"
                ));
            }
        }
        // Required arguments must be shown: options by a flag, positionals by a placeholder
        // outside brackets.
        let positionals_shown = tokens
            .iter()
            .filter(|t| !t.starts_with('[') && !t.starts_with('-'))
            .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
            .count();
        let required_positionals = cmd
            .get_positionals()
            .filter(|a| a.is_required_set())
            .count();
        if positionals_shown < required_positionals {
            problems.push(format!(
                "`relufit {name}`: {required_positionals} required positional arguments, the \
                 README shows {positionals_shown}"
            ));
        }
        for a in cmd
            .get_arguments()
            .filter(|a| a.is_required_set() && !a.is_positional())
        {
            let shown = tokens.iter().any(|t| {
                a.get_long().is_some_and(|l| *t == format!("--{l}"))
                    || a.get_short().is_some_and(|s| *t == format!("-{s}"))
            });
            if !shown {
                problems.push(format!(
                    "`relufit {name}`: the required --{} is missing from the README (or shown \
                     as optional)",
                    a.get_long().unwrap_or_default()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn readme_and_every_help_give_the_same_exit_codes() {
    let text = readme().split_whitespace().collect::<Vec<_>>().join(" ");
    for phrase in [
        "0 success",
        "1 definite negative answer",
        "2 bad input or internal error",
        "3 unknown: the time limit was reached or the run was interrupted (SIGINT, SIGTERM)",
    ] {
        assert!(text.contains(phrase), "README lacks `{phrase}`");
        assert!(
            relufit_cli::EXIT_CODES.contains(phrase),
            "--help lacks `{phrase}`"
        );
    }
    let mut all = Vec::new();
    leaves(&relufit_cli::command(), Vec::new(), &mut all);
    for (path, cmd) in &all {
        let help = cmd.clone().render_long_help().to_string();
        let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("3 unknown: the time limit was reached"),
            "`relufit {} --help` lacks the exit codes",
            path.join(" ")
        );
    }
}
