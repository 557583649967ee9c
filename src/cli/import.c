/* import.c — placeholder until written. */
#include "cli.h"

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("import: not written yet");
}
