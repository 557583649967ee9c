/* tracking.c — placeholder */
