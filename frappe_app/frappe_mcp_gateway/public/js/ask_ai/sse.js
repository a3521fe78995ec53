// Server-sent events from a fetch() body, however the network cuts the stream.
import { root } from "./desk.js";

/**
 * An incremental text/event-stream parser. push(text) any number of times (chunks may split lines,
 * "\r\n" pairs or fields anywhere), then end(). Calls on_event({event, data, id}) per event; `event`
 * defaults to "message", `data` is the joined data lines. A last event without its blank line is
 * still delivered at end().
 */
export function create_sse_parser(on_event) {
	let buffer = "";
	let started = false;
	let event = "";
	let data = [];
	let id = "";

	function dispatch() {
		if (data.length) on_event({ event: event || "message", data: data.join("\n"), id });
		event = "";
		data = [];
	}

	function take_line(line) {
		if (line === "") return dispatch();
		if (line[0] === ":") return undefined; // comment / keep-alive
		const colon = line.indexOf(":");
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? "" : line.slice(colon + 1);
		if (value[0] === " ") value = value.slice(1);
		if (field === "event") event = value;
		else if (field === "data") data.push(value);
		else if (field === "id" && !value.includes("\0")) id = value;
		return undefined; // "retry" and unknown fields are ignored
	}

	function push(chunk) {
		if (!chunk) return;
		if (!started) {
			started = true;
			if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
		}
		buffer += chunk;
		let start = 0;
		for (let i = 0; i < buffer.length; i++) {
			const c = buffer[i];
			if (c !== "\n" && c !== "\r") continue;
			if (c === "\r" && i === buffer.length - 1) break; // maybe the first half of "\r\n"
			take_line(buffer.slice(start, i));
			if (c === "\r" && buffer[i + 1] === "\n") i++;
			start = i + 1;
		}
		buffer = buffer.slice(start);
	}

	function end() {
		if (buffer) push("\n");
		dispatch();
	}

	return { push, end };
}

/** Read a ReadableStream of bytes (or strings) as SSE until it ends. Rejects if the stream errors. */
export async function read_sse(stream, on_event) {
	const reader = stream.getReader();
	const decoder = new root.TextDecoder("utf-8");
	const parser = create_sse_parser(on_event);
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		parser.push(typeof value === "string" ? value : decoder.decode(value, { stream: true }));
	}
	parser.push(decoder.decode());
	parser.end();
}
