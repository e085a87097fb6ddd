import pytest

from courseware.content.vtt import VttError, parse_vtt


def test_cues_with_identifiers_settings_notes_and_markup():
    text = (
        "\ufeffWEBVTT - Own Your Role\n"
        "Kind: captions\n"
        "\n"
        "NOTE written by the author\n"
        "over two lines\n"
        "\n"
        "STYLE\n"
        "::cue { color: yellow }\n"
        "\n"
        "intro\n"
        "00:00.000 --> 00:04.250 align:start position:10%\n"
        "<v Jennifer>Welcome &amp; thank you</v>\n"
        "for <i>joining</i>.\n"
        "\n"
        "01:00:01.000 --> 01:00:02.500\n"
        "An hour in.\n"
    )
    assert parse_vtt(text) == [
        [0.0, 4.25, "Welcome & thank you for joining."],
        [3601.0, 3602.5, "An hour in."],
    ]


def test_an_empty_file_with_a_header_has_no_cues():
    assert parse_vtt("WEBVTT\n") == []


@pytest.mark.parametrize(("text", "line", "message"), [
    ("", 1, 'missing the "WEBVTT" header on the first line'),
    ("1\n00:00.000 --> 00:01.000\nHi\n", 1, 'missing the "WEBVTT" header on the first line'),
    ("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n\n00:01.000 -> 00:02.000\nBad arrow\n", 6,
     'expected a cue timing line like "00:01.000 --> 00:04.000", got "00:01.000 -> 00:02.000"'),
    ("WEBVTT\n\n00:00.000 --> 00:61.000\nHi\n", 3,
     'invalid timestamp "00:61.000" (expected mm:ss.ttt or hh:mm:ss.ttt)'),
    ("WEBVTT\n\nid\n0:01.000 --> 00:02.000\nHi\n", 4,
     'invalid timestamp "0:01.000" (expected mm:ss.ttt or hh:mm:ss.ttt)'),
    ("WEBVTT\n\n00:05.000 --> 00:02.000\nHi\n", 3, 'cue ends before it starts: "00:05.000 --> 00:02.000"'),
    ("WEBVTT\n\n00:05.000 -->\nHi\n", 3, 'invalid cue timing "00:05.000 -->"'),
])
def test_malformed_captions_name_the_line(text, line, message):
    with pytest.raises(VttError) as raised:
        parse_vtt(text)
    assert (raised.value.line, str(raised.value)) == (line, message)
