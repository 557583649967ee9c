/* export.c — placeholder until written. */
#include "cli.h"

int cmd_export(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("export: not written yet");
}
