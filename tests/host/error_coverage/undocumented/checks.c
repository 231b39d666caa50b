/* A check expects an error the invocation does not document. */
static void checks(void)
{
    KTEST_EQ("W-001 wrong object", sigil_widget_poke(ROOT, 1), Sigil_IllegalOperation);
    EXPECT("short message", Sigil_TruncatedMessage, fx_call(&inv_, W, INV_WIDGET_POKE, 0));
    KTEST_EQ("W-002 value out of range", sigil_widget_poke(W, 99), Sigil_InvalidArgument);
}
