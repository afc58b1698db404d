/*
 * A publish/subscribe bus whose subscribers are called back on the bus's
 * own thread (tests/wrap/bus-stream.c): subscriptions that are not shaped
 * as a NAME_start / NAME_stop pair, ended by a function that takes what
 * the subscribing function returned.
 */
#ifndef BUS_API_H
#define BUS_API_H

typedef struct bus bus;
bus *bus_new(void);
/* Joins the bus's thread, after it has delivered everything published. */
void bus_free(bus *b);
/* Queue ev for every subscriber: the bus's thread calls them later, in order. */
void bus_publish(bus *b, int ev);
/* Return once everything published or posted so far has been delivered. */
void bus_flush(bus *b);
/* Hold back deliveries until bus_resume (a test's way to order the threads). */
void bus_hold(bus *b);
void bus_resume(bus *b);

/*
 * cb(ud, ev) for each event published from now on, on the bus's thread,
 * until bus_unsubscribe: the subscription's id (>= 0), or -ENOSPC when the
 * bus has BUS_MAX subscribers.
 */
#define BUS_MAX 2
int bus_subscribe(bus *b, void (*cb)(void *ud, int ev), void *ud);
/* Once it returns, the subscription's cb runs no more. */
void bus_unsubscribe(bus *b, int id);

/*
 * cb(ud, topic, msg) for each message posted to topic from now on, on the
 * bus's thread (msg is freed when cb returns): the watch, or NULL with
 * errno set. Ended by bus_unwatch, asynchronously: the bus's thread calls
 * done(ud) after the watch's last cb, and frees the watch.
 */
typedef struct bus_watch bus_watch;
typedef void (*bus_msg_cb)(void *ud, int topic, const char *msg);
bus_watch *bus_watch_topic(bus *b, int topic, bus_msg_cb cb, void *ud);
void bus_post(bus *b, int topic, const char *msg);
void bus_unwatch(bus_watch *w, void (*done)(void *ud), void *ud);

/* Declared only, for cawait-wrap's shape: an unsigned id, of which no value says the call failed. */
unsigned bus_tap(bus *b, void (*cb)(void *ud, int ev), void *ud);
void bus_untap(bus *b, unsigned tap);

/* Declared only for cawait-wrap's diagnostics: two buses, which one does bus_unlink take? */
int bus_link(bus *from, bus *to, void (*cb)(void *ud, int ev), void *ud);
void bus_unlink(bus *b);

#endif
