"""Real-shaped feed and page documents for the source tests (written by fixtures, as text)."""

RSS2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Example Wire: Middle East</title>
  <link>https://wire.example.org/middle-east</link>
  <description>Latest Middle East news from Example Wire</description>
  <language>en-gb</language>
  <lastBuildDate>Wed, 08 Jan 2020 09:00:00 GMT</lastBuildDate>
  <atom:link href="https://wire.example.org/middle-east/rss.xml" rel="self" type="application/rss+xml"/>
  <item>
    <title>Iran strikes back at US bases in Iraq</title>
    <link>https://wire.example.org/middle-east/iran-strikes-back</link>
    <guid isPermaLink="false">wire-2020-0108-001</guid>
    <pubDate>Wed, 08 Jan 2020 02:30:00 GMT</pubDate>
    <dc:creator>Sam Correspondent</dc:creator>
    <description><![CDATA[<p>Iran fired missiles at two bases in Iraq.</p>]]></description>
    <content:encoded><![CDATA[<p>Iran fired more than a dozen ballistic missiles at the Al-Asad air base and a base in Erbil early on Wednesday.</p>
<p>The attack was retaliation for the killing of Qasem Soleimani, Iranian state television said.</p>
<div class="related"><a href="/more">Read more</a></div>
<script>trackReader();</script>]]></content:encoded>
  </item>
  <item>
    <title>Oil prices jump after missile attack</title>
    <link>https://wire.example.org/business/oil-jumps</link>
    <guid>https://wire.example.org/business/oil-jumps</guid>
    <pubDate>Wed, 08 Jan 2020 06:10:00 GMT</pubDate>
    <author>markets@wire.example.org (Alex Markets)</author>
    <description>Brent crude rose 3% in Asian trading as investors weighed the risk of a wider conflict.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Defence Desk</title>
  <subtitle>Analysis of security and defence</subtitle>
  <link href="https://defence.example.net/"/>
  <link rel="self" href="https://defence.example.net/atom.xml"/>
  <updated>2020-01-09T12:00:00Z</updated>
  <id>tag:defence.example.net,2020:feed</id>
  <entry>
    <title type="html">Why the Al-Asad strike &amp;amp; its warning matter</title>
    <link rel="alternate" href="https://defence.example.net/2020/01/al-asad-warning"/>
    <id>tag:defence.example.net,2020:al-asad-warning</id>
    <published>2020-01-09T08:00:00Z</published>
    <updated>2020-01-09T10:00:00Z</updated>
    <author><name>Dana Analyst</name></author>
    <author><name>Lee Editor</name></author>
    <summary>Early warning gave troops time to shelter.</summary>
    <content type="html">&lt;p&gt;Troops at Al-Asad had hours of warning before the missiles landed, officials said.&lt;/p&gt;&lt;p&gt;The Pentagon said no Americans were killed.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Drone policy after Baghdad</title>
    <link href="https://defence.example.net/2020/01/drone-policy"/>
    <id>tag:defence.example.net,2020:drone-policy</id>
    <updated>2020-01-07T18:30:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>The strike near Baghdad airport reopened the debate on targeted killings.</p></div></content>
  </entry>
</feed>
"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example.com/rss">
    <title>Old Agency (RSS 1.0)</title>
    <link>https://old.example.com/</link>
    <description>An RDF site summary</description>
    <items><rdf:Seq><rdf:li resource="https://old.example.com/a1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://old.example.com/a1">
    <title>Embassy staff reduced in Baghdad</title>
    <link>https://old.example.com/a1</link>
    <description>Non-essential staff were told to leave the embassy in Baghdad.</description>
    <dc:date>2020-01-05T11:00:00Z</dc:date>
    <dc:creator>Pat Writer</dc:creator>
  </item>
</rdf:RDF>
"""

RSS091 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91">
  <channel>
    <title>Vintage News 0.91</title>
    <link>http://vintage.example.com/</link>
    <description>Since 1999</description>
    <language>en-us</language>
    <item>
      <title>Caf\xe9 owners in Erbil reopen</title>
      <link>http://vintage.example.com/erbil-cafes</link>
      <description>Owners of caf\xe9s in Erbil reopened on Thursday after the missile alert was lifted.</description>
    </item>
  </channel>
</rss>
"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.org/</loc></url></urlset>
"""

# A saved news page as a browser keeps it: navigation, a cookie banner, ads, related links,
# share buttons, comments and a footer around one article.
NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Iran fires missiles at US bases in Iraq | World | The Example Times</title>
<meta property="og:title" content="Iran fires missiles at US bases in Iraq">
<meta property="og:site_name" content="The Example Times">
<meta property="og:url" content="https://times.example.org/world/2020/jan/08/iran-missiles">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2020-01-08T03:15:00+00:00">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Iran fires missiles at US bases in Iraq", "datePublished": "2020-01-08T03:15:00+00:00",
 "author": {"@type": "Person", "name": "Jane Reporter"}, "publisher": {"@type": "Organization", "name": "The Example Times"}}</script>
<style>.ad{color:red}</style>
</head><body>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies.</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe for just $1 a week</a></li></ul></nav></header>
<aside class="ad">ADVERTISEMENT Sleep better tonight: mattresses at half price</aside>
<main><article>
<h1>Iran fires missiles at US bases in Iraq</h1>
<p class="byline">By <a href="/profile/jane">Jane Reporter</a> · Wed 8 Jan 2020 03.15 GMT</p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<p>Iran launched more than a dozen ballistic missiles against two Iraqi military bases hosting United States troops early on Wednesday, the Pentagon said, in retaliation for the killing of General Qasem Soleimani.</p>
<p>The missiles struck the Al-Asad air base in Anbar province and a facility in Erbil, a Pentagon spokesman said in a statement. Officials were still assessing the damage hours later.</p>
<p>Iran's foreign minister, Mohammad Javad Zarif, said the strikes were proportionate measures in self-defence and that Tehran did not seek escalation or war.</p>
<p>Oil prices rose sharply in Asian trading after the attack, and airlines rerouted flights away from Iraqi and Iranian airspace.</p>
</article>
<section class="related"><h2>Related stories</h2><ul><li><a href="/a">Who was Qasem Soleimani?</a></li><li><a href="/b">Ten photos of the week</a></li></ul></section>
</main>
<section id="comments"><h2>Comments (214)</h2>
<div class="comment"><p>UnhappyReader42: This is outrageous, wake up people, the mainstream media will never tell you this.</p></div>
<div class="comment"><p>PeaceNow: Praying for everyone in the region tonight.</p></div>
</section>
<footer><p>© 2020 The Example Times. All rights reserved.</p><p>Privacy policy · Cookie settings · Terms of service</p></footer>
</body></html>
"""
