//! The start every subcommand with flags of its own shares: its parsed
//! settings, or its usage printed and the exit code (0 for `--help`, 2 for
//! arguments it does not take, with the error first).

use std::process::ExitCode;

/// `parsed` is what the subcommand's parser made of its arguments: `Ok(None)`
/// for `--help`.
pub fn settings<S>(parsed: Result<Option<S>, String>, usage: &str) -> Result<S, ExitCode> {
    match parsed {
        Ok(Some(s)) => Ok(s),
        Ok(None) => {
            println!("{usage}");
            Err(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{usage}");
            Err(ExitCode::from(2))
        }
    }
}
