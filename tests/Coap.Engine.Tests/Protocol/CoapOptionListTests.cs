using System.Text;
using Coap.Engine.Protocol;

namespace Coap.Engine.Tests.Protocol;

public sealed class CoapOptionListTests
{
    private static CoapOption Text(ushort number, string value) => CoapOption.FromString(number, value);

    private static List<(ushort, string)> Contents(CoapOptionList list)
    {
        var result = new List<(ushort, string)>();
        foreach (var option in list)
        {
            result.Add((option.Number, Encoding.UTF8.GetString(option.Value.Span)));
        }

        return result;
    }

    [Fact]
    public void Out_of_order_adds_are_kept_ascending()
    {
        var list = new CoapOptionList(1);
        list.Add(Text(15, "q"));
        list.Add(Text(3, "h"));
        list.Add(Text(11, "p"));
        list.Add(Text(1, "m"));
        list.Add(Text(60, "s"));

        Assert.Equal([(1, "m"), (3, "h"), (11, "p"), (15, "q"), (60, "s")], Contents(list));
    }

    [Fact]
    public void Same_number_options_keep_insertion_order_around_others()
    {
        var list = new CoapOptionList();
        list.Add(Text(11, "a"));
        list.Add(Text(15, "x=1"));
        list.Add(Text(11, "b"));
        list.Add(Text(3, "host"));
        list.Add(Text(11, "c"));
        list.Add(Text(15, "y=2"));

        Assert.Equal([(3, "host"), (11, "a"), (11, "b"), (11, "c"), (15, "x=1"), (15, "y=2")], Contents(list));
    }

    [Fact]
    public void GetAll_yields_only_one_number_in_order()
    {
        var list = new CoapOptionList();
        list.Add(Text(15, "q"));
        list.Add(Text(11, "a"));
        list.Add(Text(11, "b"));

        var values = new List<string>();
        foreach (var option in list.GetAll(11))
        {
            values.Add(option.GetString());
        }

        Assert.Equal(["a", "b"], values);
        Assert.False(list.GetAll(12).MoveNext());
    }

    [Fact]
    public void TryGet_returns_the_first_of_a_number()
    {
        var list = new CoapOptionList();
        list.Add(Text(11, "a"));
        list.Add(Text(11, "b"));

        Assert.True(list.TryGet(11, out var option));
        Assert.Equal("a", option.GetString());
        Assert.False(list.TryGet(12, out _));
        Assert.True(list.Contains(11));
        Assert.False(list.Contains(3));
    }

    [Fact]
    public void Remove_drops_every_option_of_a_number()
    {
        var list = new CoapOptionList();
        list.Add(Text(11, "a"));
        list.Add(Text(12, "x"));
        list.Add(Text(11, "b"));

        Assert.Equal(2, list.Remove(11));
        Assert.Equal([(12, "x")], Contents(list));
        Assert.Equal(0, list.Remove(11));
    }

    [Fact]
    public void Set_replaces_all_options_of_a_number()
    {
        var list = new CoapOptionList();
        list.Add(Text(11, "a"));
        list.SetUInt(12, 40);
        list.SetUInt(12, 60);

        Assert.Equal(2, list.Count);
        Assert.Equal(60u, list.GetUInt(12));
        Assert.Null(list.GetUInt(14));
    }

    [Fact]
    public void Indexer_checks_bounds()
    {
        var list = new CoapOptionList(0);
        list.Add(Text(11, "a"));

        Assert.Equal(11, list[0].Number);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[-1]);
    }

    [Fact]
    public void Grows_past_its_capacity()
    {
        var list = new CoapOptionList(0);
        for (var i = 100; i > 0; i--)
        {
            list.Add(CoapOption.FromUInt((ushort)i, (uint)i));
        }

        Assert.Equal(100, list.Count);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(i + 1, list[i].Number);
        }
    }

    [Fact]
    public void Clear_empties_the_list()
    {
        var list = new CoapOptionList();
        list.Add(Text(11, "a"));
        list.Clear();

        Assert.Empty(list);
    }
}
