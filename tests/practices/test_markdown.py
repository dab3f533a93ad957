"""The rendered description never carries executable markup, whatever was typed."""

import pytest

from practices.text import render_markdown
from tests.html_safety import executable_markup

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=`javascript:alert(1)`>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">CLICK</math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "[click](vbscript:alert(1))",
    "![img](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](https://example.org" onclick="alert(1))',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<a href="https://example.org" onmouseover=alert(1)>x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">cover</p>',
    "<style>body{display:none}</style>",
    "<style>@import 'http://evil.example/x.css';</style>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input onfocus=alert(1) autofocus>",
    "<select onfocus=alert(1) autofocus>",
    "<textarea onfocus=alert(1) autofocus>",
    '<video><source onerror="alert(1)">',
    "<audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<isindex action=javascript:alert(1) type=submit>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<td background="javascript:alert(1)">x</td>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="https://example.org" target="_blank" rel="opener">x</a>',
    '<abbr title="x" onclick="alert(1)">x</abbr>',
    "<h1 onclick=alert(1)>heading</h1>",
    "```\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    '<div markdown="1">[x](javascript:alert(1))</div>',
    '<a href="//evil.example" ping="https://evil.example/track">x</a>',
]


def test_the_list_has_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_known_xss_payload_renders_without_executable_markup(payload):
    html = render_markdown(payload)
    assert executable_markup(html) == [], html


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<a href="https://example.org" onclick="alert(1)">x</a>', "onclick handler on <a>"),
        ('<a href=" JaVa&#x09;Script:alert(1)">x</a>', "javascript: URL in href of <a>"),
        ('<img src="data:image/svg+xml,<svg/>">', "data: URL in src of <img>"),
        ('<a href="vbscript:msgbox(1)">x</a>', "vbscript: URL in href of <a>"),
        ("<p>a<script>alert(1)</script></p>", "<script> element"),
        ("<style>p{}</style>", "<style> element"),
        ('<iframe src="https://example.org"></iframe>', "<iframe> element"),
        ('<object data="x.swf"></object>', "<object> element"),
        ('<embed src="x.swf">', "<embed> element"),
        ('<form action="https://evil.example"></form>', "<form> element"),
        ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "javascript: URL in href of <a>"),
        ('<p style="color:red">x</p>', "style attribute on <p>"),
    ],
)
def test_the_judge_itself_finds_executable_markup(html, problem):
    assert problem in executable_markup(html)


def test_the_judge_lets_ordinary_markup_pass():
    html = '<p><a href="https://example.org" title="t" rel="nofollow">x</a> <code>on</code></p>'
    assert executable_markup(html) == []


def test_links_get_a_safe_rel():
    html = render_markdown("[ASA](https://automotive-skills-alliance.eu/)")
    assert 'rel="noopener noreferrer nofollow"' in html


def test_headings_start_below_the_page_title():
    html = render_markdown("# Why\n\n## How")
    assert "<h2>Why</h2>" in html
    assert "<h3>How</h3>" in html


def test_ordinary_markdown_keeps_its_formatting():
    html = render_markdown("Some **bold** and *italic*\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert "<li>one</li>" in html
