using DqnStudy.Agent.Runs;

namespace DqnStudy.Agent.Models;

/// <summary>What `evaluate` was asked: a seed folder (or a run folder of seed-* folders), which model, how many
/// episodes from which reset seed, and how to show the first episode (terminal frames, a GIF, PNG frames).</summary>
public sealed record EvaluateOptions(
    string Folder, ModelKind Kind, int Episodes, int Seed, bool RenderText = false, string? Gif = null, string? FramesFolder = null,
    double FramesPerSecond = 0, string Blas = "auto");
