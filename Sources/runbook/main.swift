import RunbookCommandLine

/// `runbook`: rehearse changes to a Marketo integration against a model of its rules.
Runbook.exit(withStatusOf: CommandLine.arguments)
