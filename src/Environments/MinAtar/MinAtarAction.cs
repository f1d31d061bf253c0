namespace DqnStudy.Environments.MinAtar;

/// <summary>MinAtar's full action set, in the order of its <c>action_map = ['n','l','u','r','d','f']</c>.</summary>
public enum MinAtarAction
{
    Noop = 0,
    Left = 1,
    Up = 2,
    Right = 3,
    Down = 4,
    Fire = 5,
}

/// <summary>The letters MinAtar names its actions by.</summary>
public static class MinAtarActions
{
    public const int Count = 6;

    /// <summary>"nlurdf": the letter of action i is Letters[i].</summary>
    public const string Letters = "nlurdf";

    public static char Letter(int action) => Letters[action];

    /// <summary>"n l r" for the actions {0, 1, 3}.</summary>
    public static string Describe(ReadOnlySpan<int> actions)
    {
        var text = new System.Text.StringBuilder();
        foreach (int action in actions)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(Letter(action));
        }

        return text.ToString();
    }
}
