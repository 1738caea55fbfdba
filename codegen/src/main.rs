//! Print the expansion of a model, formatted, for review or vendoring.
//!
//! `cargo run -p awsjson-codegen -- --model PATH [--operations A,B] [--endpoint-tests]`

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: awsjson-codegen --model PATH [--operations Op1,Op2,...] [--endpoint-tests]";

fn main() -> ExitCode {
    let mut model: Option<PathBuf> = None;
    let mut opts = awsjson_codegen::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--model" => model = args.next().map(PathBuf::from),
            "--operations" => {
                opts.operations = args.next().map(|s| {
                    s.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
            }
            "--endpoint-tests" => opts.endpoint_tests = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(model) = model else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match awsjson_codegen::expand_file(&model, &opts).map(awsjson_codegen::pretty) {
        Ok(Ok(text)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
        Err(diags) => {
            eprintln!("{diags}");
            eprintln!("{} error(s) in `{}`", diags.len(), model.display());
            ExitCode::FAILURE
        }
    }
}
