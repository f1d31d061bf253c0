namespace DqnStudy.Agent.Sweeps;

/// <summary>
/// A parsed sweep file: which configs, which grid of <c>--set</c> overrides (every combination), which seeds,
/// and overrides shared by every task. Paths are resolved; nothing is trained or loaded yet.
/// </summary>
/// <param name="Path">The sweep file, absolute.</param>
/// <param name="Name">The sweep's name: its runs go to &lt;out&gt;/&lt;name&gt;/.</param>
/// <param name="Configs">Config files as written in the sweep and resolved to absolute paths, in file order.</param>
/// <param name="Grid">Grid axes in file order; each value is YAML text usable after <c>key=</c> in a <c>--set</c>.</param>
/// <param name="Seeds">The seeds of every grid point; null = each config's <c>training.seeds</c> (0..N-1).</param>
/// <param name="Set">Overrides applied to every task before the grid point's, as <c>key=value</c>.</param>
public sealed record SweepFile(
    string Path,
    string Name,
    IReadOnlyList<SweepConfig> Configs,
    IReadOnlyList<GridAxis> Grid,
    IReadOnlyList<int>? Seeds,
    IReadOnlyList<string> Set);

/// <summary>One entry of <c>configs:</c>: as written (for messages) and resolved.</summary>
public sealed record SweepConfig(string AsWritten, string FullPath);

/// <summary>One <c>grid:</c> key and its values (YAML text, e.g. <c>1.0e-3</c> or <c>[64, 64]</c>).</summary>
public sealed record GridAxis(string Key, IReadOnlyList<string> Values);
