using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Tests.Config;

/// <summary>Each bad config must fail with a message containing the listed text (file:line:col where a line exists).</summary>
public sealed class BadConfigCorpusTests
{
    private static readonly string[] s_envs = ["CartPole-v1", "MountainCar-v0", "Acrobot-v1"];

    // id, YAML of bad.yaml, --set overrides, substrings the error text must contain
    private static readonly (string Id, string Yaml, string[] Sets, string[] Expect)[] s_cases =
    [
        ("bad-indent", "dqn:\n  gamma: 0.9\n batch_size: 3\n", [], ["bad.yaml:3:", "malformed YAML"]),
        ("unclosed-list", "network:\n  hidden_sizes: [64, 64\n", [], ["bad.yaml:", "malformed YAML"]),
        ("tab-indent", "dqn:\n\tgamma: 0.9\n", [], ["bad.yaml:2:", "malformed YAML"]),
        ("duplicate-key", "dqn:\n  gamma: 0.9\n  gamma: 0.8\n", [], ["bad.yaml:3:3: dqn.gamma: duplicate key (first given at line 2)"]),
        ("two-documents", "dqn: {}\n---\nloss: {}\n", [], ["bad.yaml:2:1: a config holds one YAML document"]),
        ("top-level-list", "- 1\n- 2\n", [], ["bad.yaml:1:1: the top level of a config must be a map"]),
        ("typo-in-section", "dqn:\n  gama: 0.9\n", [], ["bad.yaml:2:3: dqn.gama: unknown key; did you mean 'gamma'?"]),
        ("typo-at-root-of-nested-key", "gama: 0.9\n", [], ["bad.yaml:1:1: gama: unknown key here; did you mean 'dqn.gamma'?"]),
        ("typo-list-key", "network:\n  hiden_sizes: [8]\n", [], ["bad.yaml:2:3: network.hiden_sizes: unknown key; did you mean 'hidden_sizes'?"]),
        ("key-in-wrong-section", "gamma: 0.9\n", [], ["bad.yaml:1:1: gamma: unknown key here; did you mean 'dqn.gamma'?"]),
        ("typo-section", "netwrk:\n  type: mlp\n", [], ["bad.yaml:1:1: netwrk: unknown key; did you mean 'network'?"]),
        ("unrelated-key", "zzzzzzzz: 1\n", [], ["zzzzzzzz: unknown key; valid keys here: name, env_id, env_kwargs, network,"]),
        ("string-for-int", "dqn:\n  batch_size: abc\n", [], ["bad.yaml:2:15: dqn.batch_size: expected an integer; got 'abc'"]),
        ("quoted-int", "dqn:\n  batch_size: \"64\"\n", [], ["dqn.batch_size: expected an integer; got the quoted string \"64\""]),
        ("fraction-for-int", "dqn:\n  batch_size: 64.5\n", [], ["dqn.batch_size: expected an integer; got '64.5' (out of range or not a whole number)"]),
        ("int-overflow", "dqn:\n  buffer_size: 99999999999\n", [], ["dqn.buffer_size: 99999999999 is out of range for an integer"]),
        ("scalar-for-list", "network:\n  hidden_sizes: 64\n", [], ["bad.yaml:2:17: network.hidden_sizes: expected a list of integers, e.g. [64, 64]; got '64'"]),
        ("bad-list-item", "network:\n  hidden_sizes: [64, x]\n", [], ["bad.yaml:2:22: network.hidden_sizes[1]: expected an integer; got 'x'"]),
        ("scalar-for-section", "network: 5\n", [], ["bad.yaml:1:10: network: expected a section (a map of keys: type, hidden_sizes,"]),
        ("bad-bool", "dqn:\n  double_dqn: maybe\n", [], ["dqn.double_dqn: expected true or false; got 'maybe'"]),
        ("bad-number", "dqn:\n  gamma: high\n", [], ["dqn.gamma: expected a number; got 'high'"]),
        ("infinite-number", "dqn:\n  gamma: 1e999\n", [], ["dqn.gamma: must be a finite number; got '1e999'"]),
        ("env-kwargs-list", "env_kwargs: [1, 2]\n", [], ["env_kwargs: expected a map of names to scalars, e.g. {p: 0.5}; got a list"]),
        ("enum-activation", "network:\n  activation: relux\n", [], ["network.activation: 'relux' is not allowed; allowed: relu, leaky_relu, sigmoid, tanh, identity; did you mean 'relu'?"]),
        ("enum-loss", "loss:\n  type: clip\n", [], ["loss.type: 'clip' is not allowed; allowed: huber, clipped_delta, mse, deepmind_clamp"]),
        ("enum-init", "network:\n  init: he\n", [], ["allowed: torch_default, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal, normal"]),
        ("enum-optimizer", "optimizer:\n  type: adamw\n", [], ["allowed: adam, sgd, rmsprop, deepmind_rmsprop; did you mean 'adam'?"]),
        ("enum-blas", "blas: cuda\n", [], ["bad.yaml:1:7: blas: 'cuda' is not allowed; allowed: auto, mkl, managed"]),
        ("gamma-above-1", "dqn:\n  gamma: 1.5\n", [], ["bad.yaml:2:10: dqn.gamma: must be in [0, 1], got 1.5"]),
        ("gamma-negative", "dqn:\n  gamma: -0.1\n", [], ["dqn.gamma: must be in [0, 1], got -0.1"]),
        ("batch-zero", "dqn:\n  batch_size: 0\n", [], ["bad.yaml:2:15: dqn.batch_size: must be > 0, got 0"]),
        ("buffer-below-batch", "dqn:\n  buffer_size: 32\n", [], ["bad.yaml:2:16: dqn.buffer_size: buffer_size (32) must be ≥ batch_size (64)"]),
        ("batch-above-buffer", "dqn:\n  batch_size: 512\n  learning_starts: 1000\n  buffer_size: 256\n", [], ["bad.yaml:4:16: dqn.buffer_size: buffer_size (256) must be ≥ batch_size (512)"]),
        ("learning-starts-below-batch", "dqn:\n  learning_starts: 10\n", [], ["bad.yaml:2:20: dqn.learning_starts: learning_starts (10) must be ≥ batch_size (64)"]),
        ("negative-lr", "optimizer:\n  learning_rate: -0.001\n", [], ["bad.yaml:2:18: optimizer.learning_rate: must be > 0, got -0.001"]),
        ("tau-zero", "dqn:\n  tau: 0\n", [], ["dqn.tau: must be in (0, 1] (1 = hard copy), got 0"]),
        ("eps-above-1", "dqn:\n  exploration_final_eps: 1.2\n", [], ["dqn.exploration_final_eps: must be in [0, 1], got 1.2"]),
        ("fraction-negative", "dqn:\n  exploration_fraction: -0.5\n", [], ["dqn.exploration_fraction: must be in [0, 1], got -0.5"]),
        ("total-steps-zero", "training:\n  total_steps: 0\n", [], ["training.total_steps: must be > 0, got 0"]),
        ("seeds-too-many", "training:\n  seeds: 1000000\n", [], ["bad.yaml:2:10: training.seeds: must be ≤ 1000, got 1000000"]),
        ("total-steps-absurd", "training:\n  total_steps: 9223372036854775807\n", [], ["training.total_steps: must be ≤ 1,000,000,000,000, got 9,223,372,036,854,775,807"]),
        ("eval-episodes-absurd", "training:\n  eval_episodes: 2000000000\n", [], ["training.eval_episodes: must be ≤ 100,000, got 2,000,000,000"]),
        ("seeds-zero", "training:\n  seeds: 0\n", [], ["training.seeds: must be ≥ 1, got 0"]),
        ("eval-interval-negative", "training:\n  eval_interval: -1\n", [], ["training.eval_interval: must be ≥ 0 (0 = only at the end), got -1"]),
        ("eval-on-no-episodes", "training:\n  eval_interval: 1000\n  eval_episodes: 0\n", [], ["bad.yaml:3:18: training.eval_episodes: must be ≥ 1 when evaluation is on"]),
        ("train-freq-zero", "dqn:\n  train_freq: 0\n", [], ["dqn.train_freq: must be ≥ 1, got 0"]),
        ("gradient-steps-zero", "dqn:\n  gradient_steps: 0\n", [], ["dqn.gradient_steps: must be ≥ 1, got 0"]),
        ("hidden-size-zero", "network:\n  hidden_sizes: [64, 0]\n", [], ["bad.yaml:2:22: network.hidden_sizes[1]: must be ≥ 1, got 0"]),
        ("rnn-without-hidden", "network:\n  type: lstm\n  hidden_sizes: []\n", [], ["network.hidden_sizes: a lstm network needs at least the recurrent hidden size"]),
        ("delta-zero", "loss:\n  delta: 0\n", [], ["loss.delta: must be > 0, got 0"]),
        ("max-grad-norm-negative", "max_grad_norm: -1\n", [], ["max_grad_norm: must be ≥ 0 (0 = off), got -1"]),
        ("sequence-length-zero", "dqn:\n  sequence_length: 0\n", [], ["dqn.sequence_length: must be ≥ 1, got 0"]),
        ("unknown-env", "env_id: CartPol-v1\n", [], ["bad.yaml:1:9: env_id: unknown environment 'CartPol-v1'; registered: Acrobot-v1, CartPole-v1, MountainCar-v0; did you mean 'CartPole-v1'?"]),
        ("unsafe-name", "name: ../escape\n", [], ["name: '../escape' cannot be a run name"]),
        ("extends-missing", "extends: nowhere.yaml\n", [], ["bad.yaml:1:10: extends: file not found:", "nowhere.yaml"]),
        ("extends-self", "extends: bad.yaml\n", [], ["bad.yaml:1:10: extends: extends cycle: bad.yaml -> bad.yaml"]),
        ("extends-not-a-path", "extends: [a, b]\n", [], ["extends: expected the path of another config"]),
        ("set-unknown-key", "name: bad\n", ["dqn.gama=0.9"], ["--set: dqn.gama: unknown key; did you mean 'gamma'?"]),
        ("set-unknown-section", "name: bad\n", ["netwrok.type=mlp"], ["--set: netwrok: unknown key; did you mean 'network'?"]),
        ("set-no-equals", "name: bad\n", ["dqn.gamma"], ["--set: 'dqn.gamma' is not key.path=value"]),
        ("set-empty-value", "name: bad\n", ["dqn.gamma="], ["--set: dqn.gamma: missing value after '='"]),
        ("set-out-of-range", "name: bad\n", ["dqn.gamma=2"], ["--set: dqn.gamma: must be in [0, 1], got 2"]),
        ("set-wrong-type", "name: bad\n", ["network.hidden_sizes=64"], ["--set: network.hidden_sizes: expected a list of integers"]),
        ("set-below-leaf", "name: bad\n", ["dqn.gamma.x=1"], ["--set: dqn.gamma.x: 'dqn.gamma' has no sub-keys"]),
        ("empty-file", "", [], ["bad.yaml: the config is empty (no keys)"]),
        ("whitespace-only", "  \n\n   \n", [], ["bad.yaml: the config is empty (no keys)"]),
        ("comments-only", "# dqn:\n#   gamma: 0.9\n", [], ["bad.yaml: the config is empty (no keys)"]),
        ("empty-map", "{}\n", [], ["bad.yaml: the config is empty (no keys)"]),
        ("all-nul", new string('\0', 512), [], ["bad.yaml:1: not a YAML config: the file holds NUL bytes"]),
        ("nul-inside", "dqn:\n  gamma: 0.9\0\n", [], ["bad.yaml:2: not a YAML config: the file holds NUL bytes"]),
        ("file-too-large", "env_kwargs:\n" + string.Concat(Enumerable.Range(0, 70_000).Select(i => $"  k{i}: {i}\n")), [], ["bad.yaml: the file is 1,", "a config is at most 1,048,576 bytes"]),
        ("set-malformed-yaml", "name: bad\n", ["network.hidden_sizes=[1,"], ["--set", "malformed YAML"]),
        ("conv-without-layers", "network:\n  type: conv\n", [], ["bad.yaml:2:9: network.type: a conv network needs at least one convolution"]),
        ("conv-on-mlp", "network:\n  conv: [{filters: 4}]\n", [], ["bad.yaml:2:9: network.conv: only a conv network reads network.conv; this one is mlp"]),
        ("conv-filters-zero", "network:\n  type: conv\n  conv: [{filters: 0, kernel: 3}]\n", [], ["network.conv[0].filters must be ≥ 1, got 0"]),
        ("conv-kernel-zero", "network:\n  type: conv\n  conv: [{kernel: 0}]\n", [], ["network.conv[0].kernel must be ≥ 1, got 0"]),
        ("conv-stride-zero", "network:\n  type: conv\n  conv: [{kernel: 3}, {stride: 0}]\n", [], ["network.conv[1].stride must be ≥ 1, got 0"]),
        ("conv-padding-negative", "network:\n  type: conv\n  conv: [{padding: -1}]\n", [], ["network.conv[0].padding must be ≥ 0, got -1"]),
        ("conv-typo", "network:\n  type: conv\n  conv: [{filter: 4}]\n", [], ["network.conv[0].filter: unknown key; did you mean 'filters'?"]),
        ("conv-not-a-list", "network:\n  type: conv\n  conv: 16\n", [], ["network.conv: expected a list of layers, e.g. [{filters: 16, kernel: 3, stride: 1, padding: 0}]; got '16'"]),
        ("conv-item-not-a-map", "network:\n  type: conv\n  conv: [16]\n", [], ["network.conv[0]: expected a section (a map of keys: filters, kernel, stride, padding)"]),
        ("bits-with-rnn", "network:\n  type: rnn\n  hidden_sizes: [8]\ndqn:\n  replay_observations: bits\n", [], ["dqn.replay_observations: bits storage is for the mlp and conv replay buffer"]),
        ("exploration-steps-negative", "dqn:\n  exploration_steps: -1\n", [], ["dqn.exploration_steps: must be ≥ 0"]),
    ];

    public static TheoryData<string> CaseIds => new(s_cases.Select(c => c.Id));

    [Fact]
    public void Corpus_HasAtLeastThirtyCases_WithUniqueIds()
    {
        Assert.True(s_cases.Length >= 30);
        Assert.Equal(s_cases.Length, s_cases.Select(c => c.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void BadConfig_FailsWithItsMessage(string id)
    {
        var (_, yaml, sets, expect) = s_cases.Single(c => c.Id == id);
        using var dir = new TempConfigDir();
        string path = dir.Write("bad.yaml", yaml);

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, sets, s_envs));

        string all = string.Join("\n", ex.Errors.Select(e => e.ToString()));
        foreach (string text in expect)
        {
            Assert.True(all.Contains(text, StringComparison.Ordinal), $"[{id}] expected «{text}» in:\n{all}");
        }
        Assert.Equal(all, ex.Errors.Count == 1 ? ex.Message : string.Join("\n", ex.Message.Split(Environment.NewLine).Skip(1).Select(l => l.Trim())));
    }

    [Fact]
    public void ExtendsCycle_ShowsTheChain()
    {
        using var dir = new TempConfigDir();
        dir.Write("a.yaml", "extends: b.yaml\n");
        dir.Write("b.yaml", "extends: c.yaml\n");
        dir.Write("c.yaml", "extends: a.yaml\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Path.Combine(dir.Root, "a.yaml")));
        ConfigError error = Assert.Single(ex.Errors);
        Assert.EndsWith("c.yaml", error.File);
        Assert.Equal("extends cycle: a.yaml -> b.yaml -> c.yaml -> a.yaml", error.Message);
    }

    [Fact]
    public void ExtendsMissingDeepInTheChain_ShowsTheChain()
    {
        using var dir = new TempConfigDir();
        dir.Write("a.yaml", "extends: b.yaml\n");
        dir.Write("b.yaml", "extends: gone.yaml\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Path.Combine(dir.Root, "a.yaml")));
        ConfigError error = Assert.Single(ex.Errors);
        Assert.Contains("gone.yaml (chain: a.yaml -> b.yaml)", error.Message);
    }
}
