/*
 * What the passes found, printed for people and for lit tests (report.c):
 * the --dump-after=PASS listings and --frame-report, on stdout.
 */
#ifndef CW_REPORT_H
#define CW_REPORT_H

#include "tu.h"

void cw_dump_parse(cw_tu *tu);   /* the pseudo-keywords, with locations */
void cw_dump_collect(cw_tu *tu); /* the async functions and which can suspend */
void cw_dump_frames(cw_tu *tu);  /* each state machine's frame, field by field */
void cw_frame_report(cw_tu *tu); /* frame sizes and the worst-case bytes per task */

#endif
