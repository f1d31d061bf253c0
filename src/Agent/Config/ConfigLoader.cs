namespace DqnStudy.Agent.Config;

/// <summary>Reads a config: parse YAML, merge the <c>extends:</c> chain (child over parent, maps deep-merged, lists
/// replaced), apply <c>--set key.path=value</c> overrides, bind to <see cref="DqnConfig"/>, validate. Every problem
/// found is collected and thrown together as one <see cref="ConfigException"/>; nothing else escapes.</summary>
public static class ConfigLoader
{
    private const string SolutionFile = "DqnStudy.sln";
    /// <summary>A config is a page of keys; a file far larger is a mistake (or hostile), refused before it is parsed.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    public static DqnConfig Load(string path, IEnumerable<string>? overrides = null, IReadOnlyCollection<string>? knownEnvIds = null) =>
        LoadWith(path, (overrides ?? []).Select(o => new ConfigOverride(o)), knownEnvIds);

    /// <summary>As <see cref="Load"/>, with overrides that remember the option they came from.</summary>
    public static DqnConfig LoadWith(string path, IEnumerable<ConfigOverride> overrides, IReadOnlyCollection<string>? knownEnvIds = null)
    {
        string full = Resolve(path);
        var errors = new List<ConfigError>();
        YMap tree = ReadChain(full, [], errors) ?? new YMap([], Display(full), null, null);
        // Range checks on a half-read chain would blame defaults the user never saw; report the reading errors alone.
        bool readFailed = errors.Count > 0;

        foreach (ConfigOverride assignment in overrides)
        {
            YMap? patch = ParseOverride(assignment.Assignment ?? "", assignment.Source, errors);
            if (patch is not null)
            {
                tree = YMap.Merge(tree, patch);
            }
        }

        var failed = new HashSet<string>(StringComparer.Ordinal);
        DqnConfig config = ConfigBinder.Bind(tree, errors, failed);
        if (tree.Find("name") is null)
        {
            config = config with { Name = Path.GetFileNameWithoutExtension(full) };
        }
        if (!readFailed)
        {
            foreach (ConfigIssue issue in ConfigValidator.Validate(config, knownEnvIds))
            {
                if (issue.KeyPaths.Any(failed.Contains))
                {
                    continue; // already reported as a type error
                }
                string blamed = issue.KeyPaths.FirstOrDefault(p => Locate(tree, p) is not null) ?? issue.KeyPaths[0];
                YNode? node = Locate(tree, blamed);
                errors.Add(new ConfigError(node?.File ?? Display(full), blamed, issue.Message, node?.Line, node?.Column));
            }
        }
        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }
        return config;
    }

    /// <summary>The file as given; else under <c>configs/</c> of the current directory; else under <c>configs/</c> of the
    /// nearest ancestor holding DqnStudy.sln (of the current directory, then of the app's base directory). A name
    /// without extension also tries <c>.yaml</c>. Throws <see cref="ConfigException"/> listing where it looked.</summary>
    public static string Resolve(string pathAsGiven)
    {
        if (string.IsNullOrWhiteSpace(pathAsGiven) || pathAsGiven.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            throw new ConfigException([new ConfigError(pathAsGiven ?? "", "", "not a valid config path", null, null)]);
        }
        var names = new List<string> { pathAsGiven };
        if (!pathAsGiven.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !pathAsGiven.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            names.Add(pathAsGiven + ".yaml");
        }
        var tried = new List<string>();
        var folders = new List<string?> { null, Path.Combine(Environment.CurrentDirectory, "configs") };
        if (!Path.IsPathRooted(pathAsGiven))
        {
            foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            {
                string? root = FindSolutionRoot(start);
                if (root is not null)
                {
                    folders.Add(Path.Combine(root, "configs"));
                }
            }
        }
        else
        {
            folders.RemoveAt(1);
        }
        foreach (string? folder in folders.Distinct())
        {
            foreach (string name in names)
            {
                string candidate = Path.GetFullPath(folder is null ? name : Path.Combine(folder, name));
                if (tried.Contains(candidate))
                {
                    continue;
                }
                tried.Add(candidate);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new ConfigException([new ConfigError(pathAsGiven, "", $"config file not found; looked for: {string.Join(", ", tried)}", null, null)]);
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> holding DqnStudy.sln, or null.</summary>
    public static string? FindSolutionRoot(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>Reads one file and, recursively, what it extends. <paramref name="chain"/> holds the files below it
    /// (child first), to detect cycles. Returns null when the file itself cannot be read.</summary>
    private static YMap? ReadChain(string full, List<string> chain, List<ConfigError> errors)
    {
        string display = Display(full);
        string text;
        try
        {
            long length = new FileInfo(full).Length;
            if (length > MaxFileBytes)
            {
                errors.Add(new ConfigError(display, "", $"the file is {length:N0} bytes; a config is at most {MaxFileBytes:N0} bytes (is this the right file?)", null, null));
                return null;
            }
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            errors.Add(new ConfigError(display, "", $"cannot read the file: {ex.Message}", null, null));
            return null;
        }

        if (text.Contains('\0'))
        {
            // YAML text never holds NUL; a binary file or a zeroed-out one must not train on defaults.
            errors.Add(new ConfigError(display, "", "not a YAML config: the file holds NUL bytes; expected text like 'env_id: CartPole-v1'",
                                       text.AsSpan(0, text.IndexOf('\0')).Count('\n') + 1, null));
            return null;
        }
        YNode? root = YamlTree.Parse(text, display, errors, out bool ok);
        if (!ok)
        {
            return null;
        }
        if (root is null || root is YScalar { IsNull: true } || root is YMap { Entries.Count: 0 })
        {
            // An empty file would silently train every default; a config says at least what it trains.
            errors.Add(new ConfigError(display, "", "the config is empty (no keys); expected at least e.g. 'env_id: CartPole-v1'", null, null));
            return null;
        }
        if (root is not YMap map)
        {
            errors.Add(new ConfigError(display, "", "the top level of a config must be a map of keys (e.g. 'env_id: CartPole-v1')", root.Line, root.Column));
            return null;
        }

        YEntry? extends = map.Find("extends");
        if (extends is null || extends.Value is YScalar { IsNull: true })
        {
            return map.Without("extends");
        }
        if (extends.Value is not YScalar { Value.Length: > 0 } parentName || parentName.Value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add(new ConfigError(display, "extends", "expected the path of another config, relative to this file", extends.Value.Line, extends.Value.Column));
            return map.Without("extends");
        }
        string parentFull = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, parentName.Value));
        var below = new List<string>(chain) { full };
        if (below.Contains(parentFull, StringComparer.Ordinal))
        {
            string cycle = string.Join(" -> ", below.Append(parentFull).Select(p => Path.GetFileName(p)));
            errors.Add(new ConfigError(display, "extends", $"extends cycle: {cycle}", extends.Value.Line, extends.Value.Column));
            return map.Without("extends");
        }
        if (!File.Exists(parentFull))
        {
            string via = chain.Count == 0 ? "" : $" (chain: {string.Join(" -> ", below.Select(p => Path.GetFileName(p)))})";
            errors.Add(new ConfigError(display, "extends", $"file not found: {Display(parentFull)}{via}", extends.Value.Line, extends.Value.Column));
            return map.Without("extends");
        }
        YMap? parent = ReadChain(parentFull, below, errors);
        // The run name belongs to the file the user chose: a parent's name is not inherited.
        return parent is null ? map.Without("extends") : YMap.Merge(parent.Without("name"), map.Without("extends"));
    }

    /// <summary>"dqn.gamma=0.9" → {dqn: {gamma: 0.9}}; the value is YAML (scalar or flow: [32, 32], {p: 0.5}).</summary>
    private static YMap? ParseOverride(string assignment, string source, List<ConfigError> errors)
    {
        int eq = assignment.IndexOf('=');
        if (eq < 0)
        {
            errors.Add(new ConfigError(source, "", $"'{assignment}' is not key.path=value", null, null));
            return null;
        }
        string keyPath = assignment[..eq].Trim();
        string valueText = assignment[(eq + 1)..];
        string[] segments = keyPath.Split('.');
        if (segments.Any(s => s.Length == 0))
        {
            errors.Add(new ConfigError(source, keyPath, $"'{assignment}': the key path is empty or has an empty segment", null, null));
            return null;
        }

        // Walk the schema: every segment but a free env_kwargs name must be a key of its section.
        string prefix = "";
        for (int i = 0; i < segments.Length; i++)
        {
            if (prefix == "env_kwargs" && i == segments.Length - 1)
            {
                break;
            }
            Type? section = ConfigSchema.SectionAt(prefix);
            string[] keys = section is null ? [] : ConfigSchema.Properties(section).Select(p => p.Key).ToArray();
            if (!keys.Contains(segments[i]))
            {
                string at = prefix.Length == 0 ? segments[i] : $"{prefix}.{segments[i]}";
                string message = section is null
                    ? $"'{prefix}' has no sub-keys"
                    : ConfigSchema.UnknownKeyMessage(segments[i], keys);
                errors.Add(new ConfigError(source, at, message, null, null));
                return null;
            }
            prefix = prefix.Length == 0 ? segments[i] : $"{prefix}.{segments[i]}";
        }

        YNode? value = YamlTree.Parse(valueText, source, errors, out bool ok, positions: false);
        if (!ok)
        {
            return null;
        }
        if (value is null)
        {
            errors.Add(new ConfigError(source, keyPath, "missing value after '='", null, null));
            return null;
        }
        for (int i = segments.Length - 1; i >= 0; i--)
        {
            value = new YMap([new YEntry(segments[i], null, null, value)], source, null, null);
        }
        return (YMap)value;
    }

    /// <summary>The value node at a dotted path ("network.hidden_sizes[1]" indexes a list), or null.</summary>
    private static YNode? Locate(YMap root, string path)
    {
        YNode? node = root;
        foreach (string segment in path.Split('.'))
        {
            int bracket = segment.IndexOf('[');
            string key = bracket < 0 ? segment : segment[..bracket];
            node = (node as YMap)?.Find(key)?.Value;
            if (bracket >= 0 && node is YList list && int.TryParse(segment[(bracket + 1)..^1], out int index) && index < list.Items.Count)
            {
                node = list.Items[index];
            }
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    /// <summary>Relative to the current directory when inside it ("configs/huber.yaml"), else absolute.</summary>
    private static string Display(string full)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }
}
