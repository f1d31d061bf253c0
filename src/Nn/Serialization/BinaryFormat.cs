using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DqnStudy.Nn.Serialization;

/// <summary>
/// The shared pieces of DqnStudy's checkpoint files: a 4-byte magic, a format version, then fields the
/// reader validates against the object it loads into before any payload is read. Payloads are read straight
/// into the object's existing buffers, so a hostile header can never make the reader allocate.
/// </summary>
public static class BinaryFormat
{
    public static void WriteHeader(BinaryWriter writer, ReadOnlySpan<byte> magic, int version)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(magic);
        writer.Write(version);
    }

    /// <summary>Reads and checks magic and version; throws InvalidDataException naming what is wrong.</summary>
    public static void ReadHeader(BinaryReader reader, ReadOnlySpan<byte> magic, int version, string what) =>
        ReadHeader(reader, magic, version, version, what);

    /// <summary>Reads and checks magic and a version in [oldest, newest] (a format this build still reads); returns the version.</summary>
    public static int ReadHeader(BinaryReader reader, ReadOnlySpan<byte> magic, int oldest, int newest, string what)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Span<byte> found = stackalloc byte[magic.Length];
        ReadExactly(reader, found, what + " magic");
        if (!found.SequenceEqual(magic))
        {
            throw new InvalidDataException(
                $"Not a {what}: the file starts with \"{Printable(found)}\" but \"{Printable(magic)}\" was expected (wrong magic).");
        }
        int foundVersion = ReadInt32(reader, what + " format version");
        if (foundVersion < oldest || foundVersion > newest)
        {
            string readable = oldest == newest ? $"version {newest}" : $"versions {oldest} to {newest}";
            throw new InvalidDataException($"{what} format version is {foundVersion} but this build reads {readable} (wrong version).");
        }
        return foundVersion;
    }

    public static int ReadInt32(BinaryReader reader, string field)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        ReadExactly(reader, bytes, field);
        return BinaryPrimitives.ReadInt32LittleEndian(bytes);
    }

    public static long ReadInt64(BinaryReader reader, string field)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        ReadExactly(reader, bytes, field);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }

    public static float ReadSingle(BinaryReader reader, string field)
    {
        Span<byte> bytes = stackalloc byte[sizeof(float)];
        ReadExactly(reader, bytes, field);
        return BinaryPrimitives.ReadSingleLittleEndian(bytes);
    }

    /// <summary>Reads an int and requires it to equal <paramref name="expected"/> (size mismatch otherwise).</summary>
    public static void Expect(BinaryReader reader, int expected, string field)
    {
        int found = ReadInt32(reader, field);
        if (found != expected)
        {
            throw new InvalidDataException($"{field} is {found} in the file but {expected} here (size mismatch).");
        }
    }

    public static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Fills <paramref name="destination"/> from the stream. Floats are stored in the machine's byte order,
    /// which is little-endian on every platform .NET 10 runs on (as BinaryWriter writes the header ints).</summary>
    public static void ReadFloats(BinaryReader reader, Span<float> destination, string field)
    {
        ReadExactly(reader, MemoryMarshal.AsBytes(destination), field);
    }

    private static void ReadExactly(BinaryReader reader, Span<byte> destination, string field)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int read = reader.Read(destination[total..]);
            if (read == 0)
            {
                throw new InvalidDataException(
                    $"The file is truncated: {field} needs {destination.Length} bytes but only {total} remain.");
            }
            total += read;
        }
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[i] = bytes[i] is >= 32 and < 127 ? (char)bytes[i] : '?';
        }
        return new string(chars);
    }
}
