fn main() -> std::process::ExitCode {
    newsflow_cli::main()
}
