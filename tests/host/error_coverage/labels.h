/* The kernel's short label of the fixture's one invocation. */
enum { INV_WIDGET_POKE = Sigil_Widget_Poke };
