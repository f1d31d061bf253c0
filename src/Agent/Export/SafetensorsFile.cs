using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DqnStudy.Agent.Export;

/// <summary>One named float32 tensor with its shape (row-major, as torch stores a contiguous tensor).</summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Values);

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON — per tensor its
/// dtype, shape and [begin, end) byte offsets into the data, plus a "__metadata__" map of strings — padded with spaces
/// to a multiple of 8, then the raw little-endian tensor bytes back to back. Readers: safetensors.torch.load_file,
/// or the 20 lines of Python in the export test.
/// </summary>
public static class SafetensorsFile
{
    public static void Write(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = new JsonObject { ["__metadata__"] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) };
        long offset = 0;
        foreach (var t in tensors)
        {
            long count = t.Shape.Aggregate(1L, (a, b) => a * b);
            if (count != t.Values.Length)
                throw new ArgumentException($"tensor {t.Name}: shape [{string.Join(", ", t.Shape)}] holds {count} values but {t.Values.Length} were given.");
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + 4 * count),
            };
            offset += 4 * count;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;

        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var t in tensors)
            {
                if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors stores little-endian floats.");
                stream.Write(MemoryMarshal.AsBytes(t.Values.AsSpan()));
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a file this class (or any safetensors writer) wrote with F32 tensors: names, shapes, values, metadata.</summary>
    public static (IReadOnlyList<NamedTensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new InvalidDataException($"{path}: too short for a safetensors header.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw new InvalidDataException($"{path}: header length {headerLength} runs past the end of the file.");
        using var document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var tensors = new List<NamedTensor>();
        var metadata = new Dictionary<string, string>();
        int dataStart = 8 + (int)headerLength;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (var m in property.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                continue;
            }
            if (property.Value.GetProperty("dtype").GetString() != "F32")
                throw new InvalidDataException($"{path}: tensor {property.Name} is not F32.");
            int[] shape = property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]))).ToArray();
            tensors.Add(new NamedTensor(property.Name, shape, values));
        }
        return (tensors, metadata);
    }
}
