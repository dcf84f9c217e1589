//! The sample articles bundled with the binary, so `newsflow demo` runs
//! from anywhere. The files live in the repository's `samples/` folder.

macro_rules! samples {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../samples/", $name)))),*]
    };
}

/// (file name, text) of every bundled sample.
pub const SAMPLES: &[(&str, &str)] = samples![
    "01-politics-coalition-talks.txt",
    "02-conflict-border-clashes.txt",
    "03-business-chipmaker-earnings.txt",
    "04-sport-champions-league.txt",
    "05-science-mars-sample.txt",
    "06-health-measles-outbreak.txt",
    "07-environment-heatwave.txt",
    "08-crime-fraud-trial.txt",
    "09-disaster-earthquake.txt",
    "10-technology-ai-regulation.txt",
    "11-economy-interest-rates.txt",
    "12-diplomacy-refugees.txt",
];
