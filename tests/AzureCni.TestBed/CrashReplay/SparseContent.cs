using System.Security.Cryptography;

namespace AzureCni.TestBed.CrashReplay;

/// <summary>
/// A file's bytes as 4 KiB pages, holes unstored (a journal's second slot sits 1 MiB in): immutable, so a crash
/// image shares the pages it did not change, and <see cref="Key"/> tells equal contents apart cheaply.
/// </summary>
public sealed class SparseContent
{
    public const int PageSize = 4096;

    private readonly SortedDictionary<long, byte[]> _pages;

    public static readonly SparseContent Empty = new(0, new SortedDictionary<long, byte[]>());

    private SparseContent(long length, SortedDictionary<long, byte[]> pages)
    {
        Length = length;
        _pages = pages;
        Key = ComputeKey();
    }

    public long Length { get; }

    /// <summary>A digest of the length and every byte: equal keys, equal contents.</summary>
    public string Key { get; }

    public SparseContent Write(long offset, ReadOnlySpan<byte> bytes)
    {
        var pages = new SortedDictionary<long, byte[]>(_pages);
        for (int done = 0; done < bytes.Length;)
        {
            long position = offset + done;
            long page = position / PageSize;
            int within = (int)(position % PageSize);
            int count = Math.Min(PageSize - within, bytes.Length - done);
            var copy = pages.TryGetValue(page, out var existing) ? (byte[])existing.Clone() : new byte[PageSize];
            bytes.Slice(done, count).CopyTo(copy.AsSpan(within));
            pages[page] = copy;
            done += count;
        }

        return new SparseContent(Math.Max(Length, offset + bytes.Length), pages);
    }

    public SparseContent Truncate(long length)
    {
        var pages = new SortedDictionary<long, byte[]>();
        foreach (var (page, bytes) in _pages)
        {
            long start = page * PageSize;
            if (start >= length)
                continue;
            var copy = (byte[])bytes.Clone();
            if (start + PageSize > length)
                copy.AsSpan((int)(length - start)).Clear();
            pages[page] = copy;
        }

        return new SparseContent(length, pages);
    }

    /// <summary>The bytes in [offset, offset + count), zeros past the end and in holes.</summary>
    public byte[] Slice(long offset, int count)
    {
        var bytes = new byte[count];
        for (int done = 0; done < count;)
        {
            long position = offset + done;
            int within = (int)(position % PageSize);
            int n = Math.Min(PageSize - within, count - done);
            if (position < Length && _pages.TryGetValue(position / PageSize, out var page))
                page.AsSpan(within, (int)Math.Min(n, Length - position)).CopyTo(bytes.AsSpan(done));
            done += n;
        }

        return bytes;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        foreach (var (page, data) in _pages)
            data.AsSpan(0, (int)Math.Min(PageSize, Length - (page * PageSize))).CopyTo(bytes.AsSpan((int)(page * PageSize)));
        return bytes;
    }

    /// <summary>Writes the content to <paramref name="path"/>, holes left as holes.</summary>
    public void WriteTo(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        foreach (var (page, data) in _pages)
        {
            long start = page * PageSize;
            RandomAccess.Write(handle, data.AsSpan(0, (int)Math.Min(PageSize, Length - start)), start);
        }

        RandomAccess.SetLength(handle, Length);
    }

    private string ComputeKey()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(Length));
        foreach (var (page, data) in _pages)
        {
            if (!data.AsSpan().ContainsAnyExcept((byte)0))
                continue;
            hash.AppendData(BitConverter.GetBytes(page));
            hash.AppendData(data);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
