using System.Collections;

namespace Coap.Engine.Protocol;

/// <summary>
/// The options of a message, kept ordered by number; options with the same number keep their order
/// (RFC 7252 §3.1, §5.4.5). Adding in ascending order, as a decoder does, appends without shifting.
/// </summary>
public sealed class CoapOptionList : IReadOnlyList<CoapOption>
{
    private CoapOption[] _items;
    private int _count;

    public CoapOptionList()
        : this(4)
    {
    }

    public CoapOptionList(int capacity)
    {
        _items = capacity == 0 ? [] : new CoapOption[capacity];
    }

    public int Count => _count;

    public CoapOption this[int index] =>
        (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Adds an option after any options with the same or a lower number.</summary>
    public void Add(CoapOption option)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _count * 2));
        }

        var index = _count;
        while (index > 0 && _items[index - 1].Number > option.Number)
        {
            _items[index] = _items[index - 1];
            index--;
        }

        _items[index] = option;
        _count++;
    }

    public void Add(ushort number, ReadOnlyMemory<byte> value) => Add(new CoapOption(number, value));

    public bool Contains(ushort number) => IndexOf(number) >= 0;

    /// <summary>The first option with this number, if any.</summary>
    public bool TryGet(ushort number, out CoapOption option)
    {
        var index = IndexOf(number);
        option = index >= 0 ? _items[index] : default;
        return index >= 0;
    }

    /// <summary>
    /// The first option's unsigned integer value; null when absent or longer than 4 bytes (RFC 7252 §3.2): a malformed
    /// value is ignored like an unrecognized elective option (§5.4.1), never cut to its low bytes.
    /// </summary>
    public uint? GetUInt(ushort number) => TryGet(number, out var option) && option.TryGetUInt(out var value) ? value : null;

    /// <summary>The options with this number, in order, without allocating.</summary>
    public Enumerator GetAll(ushort number) => new(this, number);

    /// <summary>Removes every option with this number; returns how many were removed.</summary>
    public int Remove(ushort number)
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if (_items[i].Number != number)
            {
                _items[kept++] = _items[i];
            }
        }

        var removed = _count - kept;
        Array.Clear(_items, kept, removed);
        _count = kept;
        return removed;
    }

    /// <summary>Removes the option at <paramref name="index"/>, keeping the order of the rest.</summary>
    public void RemoveAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        Array.Copy(_items, index + 1, _items, index, _count - index - 1);
        _items[--_count] = default;
    }

    /// <summary>Replaces every option with this number by one option.</summary>
    public void Set(CoapOption option)
    {
        Remove(option.Number);
        Add(option);
    }

    public void SetUInt(ushort number, uint value) => Set(CoapOption.FromUInt(number, value));

    public void Clear()
    {
        Array.Clear(_items, 0, _count);
        _count = 0;
    }

    public Enumerator GetEnumerator() => new(this, null);

    IEnumerator<CoapOption> IEnumerable<CoapOption>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(ushort number)
    {
        for (var i = 0; i < _count; i++)
        {
            var n = _items[i].Number;
            if (n == number)
            {
                return i;
            }

            if (n > number)
            {
                break;
            }
        }

        return -1;
    }

    /// <summary>Walks all options, or only those with one number.</summary>
    public struct Enumerator : IEnumerator<CoapOption>
    {
        private readonly CoapOptionList _list;
        private readonly ushort? _number;
        private int _index;

        internal Enumerator(CoapOptionList list, ushort? number)
        {
            _list = list;
            _number = number;
            _index = -1;
        }

        public readonly CoapOption Current => _list._items[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            while (++_index < _list._count)
            {
                if (_number is not { } wanted)
                {
                    return true;
                }

                var n = _list._items[_index].Number;
                if (n == wanted)
                {
                    return true;
                }

                if (n > wanted)
                {
                    _index = _list._count;
                    return false;
                }
            }

            return false;
        }

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }

        public readonly Enumerator GetEnumerator() => this;
    }
}
