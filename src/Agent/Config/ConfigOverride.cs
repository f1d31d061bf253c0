namespace DqnStudy.Agent.Config;

/// <summary>One <c>key.path=value</c> override and the option the user typed it with (<c>--set</c>, or a shortcut
/// such as <c>--steps</c>), so that an error names what the user wrote, not how it was passed on.</summary>
public readonly record struct ConfigOverride(string Assignment, string Source = "--set");
