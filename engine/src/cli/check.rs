//! `drill check FILE...`: parse and validate scenarios, print every diagnostic.
//!
//! Exit codes: 0 clean (warnings allowed), 1 when any file has errors, 2 when a
//! file cannot be read or the arguments are wrong.

use crate::io;
use crate::lang::{self, SourceMap};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// ariadne reports: file:line:col, the source line, a caret, what to do.
    Text,
    /// A JSON array of {file, line, col, end_line, end_col, severity, code, message_zh, message_en, help}.
    Json,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Scenario files (.drill) to check.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// Reads and checks one file; `Err` when the file itself cannot be read.
pub fn check_file(path: &std::path::Path) -> Result<(SourceMap, lang::CheckResult), String> {
    let text = io::read_text(path)?;
    let mut sources = SourceMap::new();
    let main = sources.add(path.to_string_lossy().replace('\\', "/"), text);
    let result = lang::check(&mut sources, main, &io::include_loader);
    Ok((sources, result))
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let mut any_error = false;
    let mut io_error = false;
    let mut json_items: Vec<serde_json::Value> = Vec::new();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for path in &args.files {
        match check_file(path) {
            Err(e) => {
                eprintln!("error: {e}");
                io_error = true;
            }
            Ok((sources, result)) => {
                any_error |= result.has_errors();
                match args.format {
                    OutputFormat::Json => {
                        if let Ok(serde_json::Value::Array(items)) =
                            serde_json::from_str(&lang::to_json(&result.diagnostics, &sources))
                        {
                            json_items.extend(items);
                        }
                    }
                    OutputFormat::Text => {
                        eprint!(
                            "{}",
                            lang::diagnostic::render_with(&result.diagnostics, &sources, color)
                        );
                        let errors = result.diagnostics.iter().filter(|d| d.is_error()).count();
                        let warnings = result.diagnostics.len() - errors;
                        if errors == 0 {
                            println!("{}: ok ({warnings} warning(s)) / 检查通过", path.display());
                        } else {
                            println!(
                                "{}: {errors} error(s), {warnings} warning(s) / 发现 {errors} 个错误",
                                path.display()
                            );
                        }
                    }
                }
            }
        }
    }
    if args.format == OutputFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_items).unwrap_or_else(|_| "[]".into())
        );
    }
    if io_error {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
