//! What every subcommand with flags of its own shares: its parsed
//! settings, or its usage printed and the exit code (0 for `--help`, 2 for
//! arguments it does not take, with the error first); and a flag's number.

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

/// The number after `flag` in `rest`, or an error naming the flag, what it
/// needs and an example.
pub fn number<'a>(
    rest: &mut impl Iterator<Item = &'a String>,
    flag: &str,
    what: &str,
) -> Result<u64, String> {
    rest.next()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("`{flag}` needs {what}, e.g. `{flag} 10`"))
}
