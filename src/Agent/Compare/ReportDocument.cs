namespace DqnStudy.Agent.Compare;

/// <summary>A table of text cells.</summary>
public sealed record ReportTable(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows);

/// <summary>
/// One section of a comparison report: paragraphs, then a table, then bullets. Text may hold `code` and **bold**
/// spans, which report.md keeps as Markdown and report.html turns into elements.
/// </summary>
public sealed record ReportSection(string Title, IReadOnlyList<string> Paragraphs, ReportTable? Table, IReadOnlyList<string> Bullets);

/// <summary>What a comparison report says, once, for both report.md and report.html: the title, the command that
/// made it, the setup bullets, the sections before the figures, the figures, the sections after them.</summary>
public sealed record ReportDocument(
    string Title, string CommandLine, IReadOnlyList<string> Setup,
    IReadOnlyList<ReportSection> BeforeFigures, IReadOnlyList<Figure> Figures, IReadOnlyList<ReportSection> AfterFigures);
