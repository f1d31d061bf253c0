using System.Buffers.Binary;
using System.Numerics;

namespace DqnStudy.Agent.Logging.TensorBoard;

/// <summary>
/// TFRecord framing, the container of TensorBoard event files: per record, the payload length (uint64 little-endian),
/// the masked CRC32C of those 8 bytes, the payload, the masked CRC32C of the payload. Writing a record allocates nothing.
/// </summary>
public sealed class TfRecordWriter(Stream stream) : IDisposable
{
    private readonly byte[] _header = new byte[12];
    private readonly byte[] _footer = new byte[4];

    public Stream Stream { get; } = stream;

    public void Write(ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_header, (ulong)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_header.AsSpan(8), MaskedCrc(_header.AsSpan(0, 8)));
        BinaryPrimitives.WriteUInt32LittleEndian(_footer, MaskedCrc(payload));
        Stream.Write(_header);
        Stream.Write(payload);
        Stream.Write(_footer);
    }

    public void Flush() => Stream.Flush();

    public void Dispose() => Stream.Dispose();

    /// <summary>CRC-32C (Castagnoli), as in iSCSI and TFRecord: initial value and final xor 0xFFFFFFFF.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8) crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        for (; i < data.Length; i++) crc = BitOperations.Crc32C(crc, data[i]);
        return ~crc;
    }

    /// <summary>TFRecord stores CRCs rotated and offset, because a CRC of data that holds CRCs is weak.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);
    }
}
