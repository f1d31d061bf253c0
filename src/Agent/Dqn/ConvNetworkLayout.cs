using DqnStudy.Agent.Config;
using DqnStudy.Nn.Kernels;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// A `network: type: conv` config as layers: each <c>conv</c> entry a Conv2d followed by the activation, one flatten,
/// then <c>hidden_sizes</c> as Dense layers with the activation, and a Dense head (MinAtar's Q-network is
/// conv [{filters: 16, kernel: 3}], hidden_sizes [128], relu). <see cref="Problem"/> checks the shapes against the
/// environment's observation before anything is built, naming the config key that cannot work.
/// </summary>
public static class ConvNetworkLayout
{
    public static LayerSpec[] Specs(NetworkConfig network, int actions)
    {
        Activation activation = DqnComponents.ToActivation(network.Activation);
        float slope = (float)network.LeakySlope;
        var specs = new List<LayerSpec>();
        foreach (ConvLayerConfig conv in network.Conv)
        {
            specs.Add(LayerSpec.Conv2d(conv.Filters, conv.Kernel, conv.Stride, conv.Padding));
            specs.Add(LayerSpec.Act(activation, slope));
        }
        specs.Add(LayerSpec.Flatten());
        foreach (int hidden in network.HiddenSizes)
        {
            specs.Add(LayerSpec.Dense(hidden));
            specs.Add(LayerSpec.Act(activation, slope));
        }
        specs.Add(LayerSpec.Dense(actions));
        return [.. specs];
    }

    /// <summary>The observation as (C, H, W); throws ArgumentException when it is not an image.</summary>
    public static ImageShape Image(IReadOnlyList<int> observationShape, string envId) =>
        observationShape.Count == 3
            ? new ImageShape(observationShape[0], observationShape[1], observationShape[2])
            : throw new ArgumentException(
                $"network.type: conv needs (channels, height, width) observations, but {envId} gives shape ({string.Join(", ", observationShape)}); use type: mlp.");

    /// <summary>Null when the conv stack fits the observation; else "network.conv[i]: …" naming the first layer that
    /// cannot take the image reaching it (a kernel larger than the padded input, a non-positive size, …).</summary>
    public static string? Problem(NetworkConfig network, IReadOnlyList<int> observationShape, string envId)
    {
        ImageShape image;
        try
        {
            image = Image(observationShape, envId);
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
        for (int i = 0; i < network.Conv.Count; i++)
        {
            ConvLayerConfig c = network.Conv[i];
            try
            {
                var shape = new Conv2dShape(image.Channels, image.Height, image.Width, c.Filters, c.Kernel, c.Kernel,
                                            c.Stride, c.Stride, c.Padding, c.Padding);
                image = new ImageShape(shape.OutChannels, shape.OutHeight, shape.OutWidth);
            }
            catch (ArgumentException e)
            {
                string reaching = i == 0 ? $"{envId}'s {image} observations" : $"the {image} images network.conv[{i - 1}] makes";
                return $"network.conv[{i}] (filters {c.Filters}, kernel {c.Kernel}, stride {c.Stride}, padding {c.Padding}) cannot take {reaching}: {e.Message}";
            }
        }
        return null;
    }
}
