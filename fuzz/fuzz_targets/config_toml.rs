//! The TOML config file (`--config`), read for each command's table.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsflow_cli::config_file::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for command in ["produce", "enrich", "sink", "replay"] {
        let _ = parse(text, command);
    }
});
