//! `drill fmt [--check] FILE...`: rewrite scenario files in canonical form.
//!
//! Files are replaced atomically, always in UTF-8: a file saved as GBK or UTF-16 is
//! read as such (see `io::read_decoded`) and rewritten even when its text is
//! canonical already. Full-width punctuation and Chinese units come out as ASCII. With `--check` nothing is written; the files that
//! would change are listed and the exit code is 1. A file that does not parse is
//! left alone and reported (exit 1); an unreadable file exits 2.

use crate::io;
use crate::lang::{self, SourceMap};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Scenario or actions files to format.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Only report files that are not formatted; write nothing.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs) -> ExitCode {
    let (mut changed, mut failed, mut io_error) = (false, false, false);
    for path in &args.files {
        let io::Decoded { text, encoding } = match io::read_decoded(path) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                io_error = true;
                continue;
            }
        };
        match lang::format(&text) {
            Err(diags) => {
                let mut sources = SourceMap::new();
                sources.add(path.to_string_lossy(), text);
                eprint!("{}", lang::render(&diags, &sources));
                failed = true;
            }
            Ok(formatted) if formatted != text || encoding.is_some() => {
                changed = true;
                let recoded = encoding
                    .map(|e| format!(" (read as {e}, written as UTF-8)"))
                    .unwrap_or_default();
                if args.check {
                    println!(
                        "{} would be reformatted{recoded} / 格式需要调整",
                        path.display()
                    );
                } else if let Err(e) = io::write_atomic(path, formatted.as_bytes()) {
                    eprintln!("error: {e}");
                    io_error = true;
                } else {
                    println!("{} formatted{recoded}", path.display());
                }
            }
            Ok(_) => {}
        }
    }
    if io_error {
        ExitCode::from(2)
    } else if failed || (args.check && changed) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
