/* svg.c — placeholder */
