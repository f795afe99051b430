import ArgumentParser
import ConnectionCore
import RunbookFiles
import RunbookLanguage
import RunbookReport

/// `runbook procedure FILE... [--state S.json] [--lang en|sv]`.
struct ProcedureCommand: RunbookCommand {
    static let configuration = CommandConfiguration(
        commandName: "procedure",
        abstract: "Print, as a Markdown checklist, the clicks in the product that carry out runbooks that run clean.",
        discussion: """
            The runbooks run first, exactly as 'runbook run' runs them; if they stop, fail or perform a step \
            anyway, the diagnostic is printed, no procedure, and the exit status is 1.
            """)

    @OptionGroup var inputs: RunbookInputs

    @Option(name: .long, help: "The procedure's language: en, or sv (Swedish, with the product page's Swedish labels).")
    var lang: ProcedureLanguage = .en

    func status() throws(Failure) -> Int32 {
        return Self.write(files: inputs.files, state: inputs.state, language: lang)
    }

    /// Runs the files as `run --quiet` does, recording the procedure, and prints it when
    /// they ran clean; returns the exit status.
    static func write(files: [String], state: String?, language: ProcedureLanguage) -> Int32 {
        var recording: ProcedureRecorder? = ProcedureRecorder()
        let job = RunJob(files: files, state: state, commit: false, quiet: true, json: false)
        let (status, instance) = job.execute(recording: &recording)
        guard status == ExitStatus.success, let recorder = recording else { return status }
        if let refusal = recorder.refusal { return Failure.noProcedure(refusal).report() }
        Output.standard.write(recorder.procedure(endingAt: instance).markdown(language))
        return ExitStatus.success
    }
}

extension ProcedureLanguage: ExpressibleByArgument {}
