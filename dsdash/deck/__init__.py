"""The meeting deck: one click (or one command) builds the slides an IMO used to rebuild by
hand every month for the DSTWG, the RWG or a JCF.

What the deck holds, in order (:data:`dsdash.deck.slides.SLIDES`, one module per slide):

1. title: forum, as-of date, area and filters;
2. key figures with the change since the previous round, each with its source line
   (:mod:`dsdash.figures`);
3. the national IDP / returnee trend as a NATIVE PowerPoint line chart (editable in
   PowerPoint: right-click → Edit Data);
4. the Return / Displacement Index severity as a native line chart;
5. the FVM funnel as a native bar chart;
6. the site map as an image rendered offline;
7. the gap matrix: people per service in each coverage state, a table coloured with
   :data:`dsdash.schema.COLOURS`;
8. upcoming partner exits within the horizon;
9. sources and methods: every source of every row the deck used (continued on further
   slides when they do not fit one).

Modules:

- :mod:`dsdash.deck.content`: the numbers, computed once into a plain
  :class:`~dsdash.deck.content.DeckContent` (:func:`~dsdash.deck.content.deck_content`);
  the deck computes nothing of its own, so the deck and the app agree;
- :mod:`dsdash.deck.slides`: one module per slide kind (``outline`` for the page's
  preview, ``draw`` for the PPTX), listed in one ordered tuple;
- :mod:`dsdash.deck.draw`: the python-pptx primitives the slides share;
- :mod:`dsdash.deck.rtl`: the deck right to left: in Arabic (``python -m dsdash --lang ar pack``,
  or the Meeting page in Arabic) every word comes from the catalog and the drawn slides are
  mirrored: RTL right-aligned paragraphs with an Arabic font, tables and native charts read
  from the right, the same numbers;
- :mod:`dsdash.deck.build`: :func:`~dsdash.deck.build.build_deck`,
  :func:`~dsdash.deck.build.render_deck` and :func:`~dsdash.deck.build.deck_outline`.
"""
