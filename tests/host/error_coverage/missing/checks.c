/* IllegalOperation is documented but never provoked. */
static void checks(void)
{
    EXPECT("short message", Sigil_TruncatedMessage, fx_call(&inv_, W, INV_WIDGET_POKE, 0));
}
