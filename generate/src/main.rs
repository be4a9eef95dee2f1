//! `generate types` prints `types.d.ts`; `generate facts` prints `facts.js` (scripts/build.sh
//! writes both into the package).

use std::process::ExitCode;

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        Some("types") => print!("{}", atlas_export_jobs_generate::declarations::typescript()),
        Some("facts") => print!("{}", atlas_export_jobs_generate::facts::javascript()),
        _ => {
            eprintln!("usage: generate types|facts");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
