namespace DqnStudy.Environments.MinAtar;

/// <summary>The five games by MinAtar's module name, and the Gymnasium ids MinAtar registers for them
/// (<c>MinAtar/&lt;Title&gt;-v0</c>: six actions; <c>-v1</c>: the minimal set).</summary>
public static class MinAtarGames
{
    /// <summary>MinAtar's module names, in its registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["asterix", "breakout", "freeway", "seaquest", "space_invaders"];

    /// <summary>A new game by module name (space_invaders, ...).</summary>
    public static MinAtarGame Create(string name, bool ramping = true) => name switch
    {
        "asterix" => new Asterix(ramping),
        "breakout" => new Breakout(ramping),
        "freeway" => new Freeway(ramping),
        "seaquest" => new Seaquest(ramping),
        "space_invaders" => new SpaceInvaders(ramping),
        _ => throw new ArgumentException($"unknown MinAtar game '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>MinAtar's id for a game: <c>game.title().replace('_', '')</c>, e.g. MinAtar/SpaceInvaders-v1.</summary>
    public static string Id(string name, bool minimalActionSet)
    {
        string title = string.Concat(name.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
        return $"MinAtar/{title}-v{(minimalActionSet ? 1 : 0)}";
    }

    public static string Describe(string name) => name switch
    {
        "asterix" => "collect gold (+1), dodge enemies entering from the sides; speeds up over time",
        "breakout" => "bounce the ball into three rows of bricks (+1 each); losing the ball ends it",
        "freeway" => "cross eight lanes of traffic (+1 per crossing); always 2501 steps",
        "seaquest" => "shoot fish and subs (+1), rescue divers, surface for oxygen",
        "space_invaders" => "shoot the descending aliens (+1 each) before they or their bullets reach you",
        _ => "",
    };
}
