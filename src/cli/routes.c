/* routes.c — `boussole routes`: prints the route table with who may use each route, the text
 * of docs/permissions.md. */
#include <stdio.h>

#include "base/str.h"
#include "web/core/router.h"
#include "cli/cli.h"

static const char usage[] = "usage: boussole routes\n"
                            "\n"
                            "Prints the permission table (Markdown) of every route.\n";

int cmd_routes(int argc, char **argv)
{
    const char *pos[1];
    int n_pos, rc = cli_parse(argc, argv, (const struct cli_opt[]){{0}}, pos, 0, &n_pos, usage);
    if (rc)
        return rc > 0 ? 0 : 2;
    struct buf b = {0};
    router_permissions_markdown(&b);
    fputs(buf_cstr(&b), stdout);
    buf_free(&b);
    return 0;
}
