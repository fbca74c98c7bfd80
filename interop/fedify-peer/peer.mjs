// An ActivityPub server on Fedify that Internationale's federation tests run beside a live server
// of the platform, as a peer no one here wrote: it looks an organization up by WebFinger, follows
// it, receives what it is sent (Fedify checks each request's signature with its own code before a
// listener sees it) and sends a signed activity back. Every step is printed as one JSON line on
// standard output, for the test to read.
//
//   node peer.mjs --port 9101 [--follow acct:slug@127.0.0.1:8000] [--send-note] [--wait 30]
//
// Only loopback: it listens on 127.0.0.1 and refuses to look up any other host.
import http from "node:http";
import {
  Accept,
  Create,
  Endpoints,
  Follow,
  MemoryKvStore,
  Note,
  Service,
  Undo,
  createFederation,
  generateCryptoKeyPair,
  lookupWebFinger,
} from "@fedify/fedify";

const args = new Map();
for (let i = 2; i < process.argv.length; i += 1) {
  const name = process.argv[i].replace(/^--/, "");
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith("--")) args.set(name, true);
  else args.set(name, next), (i += 1);
}
const port = Number(args.get("port") ?? 9101);
const base = `http://127.0.0.1:${port}`;
const waitSeconds = Number(args.get("wait") ?? 30);
const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

const LOOPBACK = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

// WebFinger on an acct: address is asked over https; the platform under test serves plain http on
// loopback, so a GET to a loopback https address is sent over http. Anything not on loopback is
// refused outright: the tests reach no other address.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const request = input instanceof Request ? input : new Request(input, init);
  if (!LOOPBACK.test(request.url)) {
    return Promise.reject(new Error(`not a loopback address: ${request.url}`));
  }
  if (request.url.startsWith("https://") && request.method === "GET") {
    return realFetch(new Request(request.url.replace(/^https:/, "http:"), request));
  }
  return realFetch(request);
};

const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const federation = createFederation({ kv: new MemoryKvStore(), allowPrivateAddress: true });

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "peer") return null;
    const [pair] = await ctx.getActorKeyPairs(identifier);
    return new Service({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify interoperability peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pair.cryptographicKey,
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "peer" ? [keys] : []));

const received = async (kind, activity) => {
  const json = await activity.toJsonLd({ format: "compact" });
  say({ step: "received", type: kind, id: activity.id?.href ?? null, actor: activity.actorId?.href ?? null, activity: json });
};

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    await received("Follow", follow);
    const follower = await follow.getActor(ctx);
    if (follower === null) return;
    await ctx.sendActivity(
      { identifier: "peer" },
      follower,
      new Accept({ id: new URL(`${base}/accepts/${Date.now()}`), actor: ctx.getActorUri("peer"), object: follow }),
      { immediate: true },
    );
  })
  .on(Accept, (_ctx, accept) => received("Accept", accept))
  .on(Create, (_ctx, create) => received("Create", create))
  .on(Undo, (_ctx, undo) => received("Undo", undo))
  .onError((_ctx, error) => say({ step: "inbox-error", error: String(error) }));

const server = http.createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    const hasBody = !["GET", "HEAD"].includes(req.method ?? "GET");
    const request = new Request(new URL(req.url ?? "/", base), {
      method: req.method,
      headers,
      body: hasBody ? Buffer.concat(chunks) : undefined,
    });
    const response = await federation.fetch(request, {
      contextData: undefined,
      onNotFound: () => new Response("Not found", { status: 404 }),
      onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
    });
    if (request.method === "POST") say({ step: "inbox-answer", path: req.url, status: response.status });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    say({ step: "server-error", error: String(error) });
    res.writeHead(500);
    res.end();
  }
});

await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
say({ step: "listening", actor: `${base}/users/peer` });

const target = args.get("follow");
if (typeof target === "string") {
  const ctx = federation.createContext(new URL(base), undefined);
  const descriptor = await lookupWebFinger(target, { allowPrivateAddress: true });
  const self = descriptor?.links?.find(
    (link) => link.rel === "self" && /activity\+json|ld\+json/.test(link.type ?? ""),
  );
  say({ step: "webfinger", resource: target, actor: self?.href ?? null, subject: descriptor?.subject ?? null });
  if (self?.href) {
    const actor = await ctx.lookupObject(self.href);
    say({
      step: "actor",
      id: actor?.id?.href ?? null,
      type: actor?.constructor?.name ?? null,
      name: actor?.name?.toString() ?? null,
      inbox: actor?.inboxId?.href ?? null,
    });
    if (actor?.inboxId) {
      const follow = new Follow({
        id: new URL(`${base}/follows/${Date.now()}`),
        actor: ctx.getActorUri("peer"),
        object: actor.id,
      });
      await ctx.sendActivity({ identifier: "peer" }, actor, follow, { immediate: true });
      say({ step: "sent", type: "Follow", id: follow.id.href });
      if (args.get("send-note")) {
        const note = new Create({
          id: new URL(`${base}/creates/${Date.now()}`),
          actor: ctx.getActorUri("peer"),
          to: actor.id,
          object: new Note({
            id: new URL(`${base}/notes/${Date.now()}`),
            attribution: ctx.getActorUri("peer"),
            to: actor.id,
            content: "Solidarity from a Fedify peer.",
          }),
        });
        await ctx.sendActivity({ identifier: "peer" }, actor, note, { immediate: true });
        say({ step: "sent", type: "Create", id: note.id.href });
      }
    }
  }
}

setTimeout(() => {
  say({ step: "done" });
  server.close();
  process.exit(0);
}, waitSeconds * 1000);
