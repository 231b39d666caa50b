/* A `covers:` comment claims an error its check does not expect. */
static void checks(void)
{
    KTEST_EQ("W-001 wrong object", sigil_widget_poke(ROOT, 1), Sigil_IllegalOperation);
    /* covers: Widget.Poke IllegalOperation */
    KTEST_EQ("W-002 short message", sigil_msginfo_label(raw(W)), Sigil_TruncatedMessage);
}
