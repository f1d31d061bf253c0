using System.Text;
using CsCheck;
using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Tests.Config;

/// <summary>Random damage to valid configs: the loader either loads or throws ConfigException, never anything else.</summary>
public sealed class ConfigFuzzTests
{
    private static readonly string[] s_tokens =
    [
        ":", ": ", "- ", "[", "]", "{", "}", ",", "\"", "'", "#", "\t", "\n", "  ", "---", "...", "&a ", "*a", "*b", "!!str ",
        "!!int ", "!foo ", "? ", "|", ">", "%YAML 1.2\n", "~", "null", "true", "-1", "0", "1e999", "-1e-400", ".nan", "0x1F",
        "99999999999999999999", "1_000", "NaN", "Infinity", "extends: bad.yaml\n", "extends: base.yaml\n", "extends: ../x.yaml\n",
        "extends: [a]\n", "extends: \"\\0\"\n", "name: ../x\n", "<<: *a\n", "\u00e9", "\u2028", "\uFEFF", "\0", "\r", "=", "[[[[[[[[",
    ];

    private static readonly string[] s_keys = ConfigSchema.LeafPaths.SelectMany(p => p.Split('.')).Distinct().ToArray();

    private static readonly string s_rich =
        "name: rich\nenv_id: CartPole-v1\nenv_kwargs: {p: 0.5}\nnetwork:\n  type: lstm\n  hidden_sizes: [16, 8]\n  activation: tanh\n" +
        "loss: &l\n  type: clipped_delta\n  delta: 2.0\noptimizer:\n  type: rmsprop\n  learning_rate: 1e-3\n  centered: true\n" +
        "dqn:\n  gamma: 0.9\n  batch_size: 32\n  learning_starts: 100\n  buffer_size: 1000\n  double_dqn: true\n" +
        "training:\n  total_steps: 5000\n  seeds: 2\n  eval_interval: 0\n  eval_episodes: 0\ninstruments: {enabled: true}\n";

    [Fact]
    public void MutatedConfigs_ThrowOnlyConfigException()
    {
        string[] bases = [.. Directory.GetFiles(Repo.ConfigsDir, "*.yaml").Select(File.ReadAllText), s_rich];
        Gen<(int Kind, double At, double To, char Char, string Token)> mutation = Gen.Select(
            Gen.Int[0, 6], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Char, Gen.OneOf(s_tokens.Concat(s_keys).ToArray()));
        Gen<(int Base, (int, double, double, char, string)[] Mutations, string[] Sets)> sample = Gen.Select(
            Gen.Int[0, bases.Length - 1],
            mutation.Array[1, 8],
            Gen.OneOf("dqn.gamma=0.5", "network.hidden_sizes=[4]", "dqn.gama=1", "x", "=", "env_kwargs.q={a: [1]}", "a..b=1",
                "network.type=gru", "loss=", "name=ok").Array[0, 2]);

        using var dir = new TempConfigDir();
        dir.Write("base.yaml", "dqn:\n  gamma: 0.5\n");
        string path = Path.Combine(dir.Root, "bad.yaml");
        string[] envs = ["CartPole-v1"];

        sample.Sample(s =>
        {
            string text = Mutate(bases[s.Base], s.Mutations);
            File.WriteAllText(path, text);
            try
            {
                ConfigLoader.Load(path, s.Sets, envs);
            }
            catch (ConfigException ex)
            {
                Assert.NotEmpty(ex.Errors);
                Assert.All(ex.Errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
            }
        }, iter: 1500, threads: 1, print: s => Mutate(bases[s.Base], s.Mutations) + " | sets: " + string.Join(" ", s.Sets));
    }

    private static string Mutate(string text, (int Kind, double At, double To, char Char, string Token)[] mutations)
    {
        var sb = new StringBuilder(text);
        foreach ((int kind, double at, double to, char c, string token) in mutations)
        {
            int i = (int)(at * sb.Length);
            int j = (int)(to * sb.Length);
            switch (kind)
            {
                case 0 when sb.Length > 0 && i < sb.Length: sb.Remove(i, 1); break;                      // delete a char
                case 1 when i < sb.Length: sb.Insert(i, sb[i]); break;                                    // duplicate a char
                case 2 when i < sb.Length: sb[i] = c; break;                                              // replace a char
                case 3: sb.Insert(i, token); break;                                                       // insert a token or key
                case 4 when i < sb.Length && j < sb.Length: (sb[i], sb[j]) = (sb[j], sb[i]); break;       // swap two chars
                case 5:                                                                                   // swap two lines' values
                    string[] lines = sb.ToString().Split('\n');
                    int a = (int)(at * lines.Length), b = (int)(to * lines.Length);
                    if (a < lines.Length && b < lines.Length && lines[a].Contains(':') && lines[b].Contains(':'))
                    {
                        string va = lines[a][(lines[a].IndexOf(':') + 1)..], vb = lines[b][(lines[b].IndexOf(':') + 1)..];
                        lines[a] = lines[a][..(lines[a].IndexOf(':') + 1)] + vb;
                        lines[b] = lines[b][..(lines[b].IndexOf(':') + 1)] + va;
                    }
                    sb.Clear().Append(string.Join('\n', lines));
                    break;
                case 6: sb.Insert(i, $"\n{token}: {(int)(to * 1e6) - 500000}\n"); break;                 // random key, random scalar
            }
        }
        return sb.ToString();
    }
}
