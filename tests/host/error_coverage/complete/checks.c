/* Both documented errors provoked: one through the stub, one through the short label. */
static void checks(void)
{
    KTEST_EQ("W-001 wrong object", sigil_widget_poke(ROOT, 1), Sigil_IllegalOperation);
    EXPECT("short message", Sigil_TruncatedMessage, fx_call(&inv_, W, INV_WIDGET_POKE, 0));
}
