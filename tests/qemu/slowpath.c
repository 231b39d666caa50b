/*
 * Linked into the *_slowpath test images: the kernel takes the slow path for every IPC, so
 * the same tests check both paths.
 */
#include <stdbool.h>

const bool kernel_fastpath_enabled = false;
