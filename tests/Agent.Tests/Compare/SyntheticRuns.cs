using System.Globalization;
using System.Text;

namespace DqnStudy.Agent.Tests.Compare;

/// <summary>Writes run folders whose statistics are known in closed form, in a temporary directory.</summary>
internal sealed class SyntheticRuns : IDisposable
{
    public SyntheticRuns()
    {
        Root = Path.Combine(Path.GetTempPath(), "dqnstudy-compare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Path_(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// A DqnStudy seed folder: episodes of <paramref name="episodeLength"/> steps with the given return each until
    /// <paramref name="totalSteps"/>; progress and eval every <paramref name="interval"/> steps with the same value.
    /// </summary>
    public string WriteSeed(string group, int seed, double returnValue, int totalSteps = 10_000, int episodeLength = 50,
                            int interval = 1_000, string env = "CartPole-v1", string loss = "huber", double zeroed = 0.0)
    {
        string folder = Path_(group, $"seed-{seed}");
        Directory.CreateDirectory(folder);
        var monitor = new StringBuilder("#{\"t_start\": 1764300000.12, \"env_id\": \"" + env + "\"}\nr,l,t\n");
        for (int step = episodeLength, i = 0; step <= totalSteps; step += episodeLength, i++)
        {
            monitor.Append(Inv($"{returnValue},{episodeLength},{i * 0.01}\n"));
        }
        File.WriteAllText(Path.Combine(folder, "monitor.csv"), monitor.ToString());

        var progress = new StringBuilder("steps,updates,episodes,epsilon,loss,mean_q,zeroed_share,clipped_share,grad_norm_fc1,grad_norm_fc2,sps,time_elapsed\n");
        var eval = new StringBuilder("steps,return_mean,return_std,return_min,return_max,length_mean,episodes\n");
        for (int step = interval; step <= totalSteps; step += interval)
        {
            string lossCell = step == interval ? "" : Inv($"{1.0 / step}");
            progress.Append(Inv($"{step},{step / 4},{step / episodeLength},0.05,{lossCell},{returnValue / 2},{zeroed},{0.1},{1.5},{0.5},1000,{step / 1000.0}\n"));
            eval.Append(Inv($"{step},{returnValue},0,{returnValue},{returnValue},{episodeLength},10\n"));
        }
        File.WriteAllText(Path.Combine(folder, "progress.csv"), progress.ToString());
        File.WriteAllText(Path.Combine(folder, "eval.csv"), eval.ToString());
        File.WriteAllText(Path.Combine(folder, "summary.json"),
            Inv($"{{\"env_id\":\"{env}\",\"seed\":{seed},\"config_name\":\"{group}\",\"status\":\"completed\",\"failure\":null,") +
            Inv($"\"total_steps\":{totalSteps},\"episodes\":{totalSteps / episodeLength},\"updates\":1,\"final_eval_return_mean\":{returnValue},") +
            Inv($"\"final_eval_return_std\":0,\"last100_train_return_mean\":{returnValue},\"steps_per_second\":1234.5,\"wall_seconds\":8,") +
            Inv($"\"blas\":\"managed\",\"blas_description\":\"Managed (TensorPrimitives)\",\"loss\":\"{loss}\",") +
            "\"versions\":{\"dqnstudy\":\"0.1.0\",\"dotnet\":\"10.0.0\",\"os\":\"Linux\"}}");
        File.WriteAllText(Path.Combine(folder, "config.yaml"),
            $"env_id: {env}\nseed: {seed}\nloss:\n  kind: {loss}\n  delta: 1.0\nnetwork:\n  hidden_sizes: [64, 64]\n");
        return folder;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
