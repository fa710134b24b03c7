package com.telpro.control.subscriber;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * Kamailio's JSON-RPC interface (jsonrpcs over xhttp on a loopback listener, see
 * {@code WITH_JSONRPC_HTTP} in kamailio.cfg): the same commands {@code kamcmd} runs.
 */
@Component
public class KamailioRpcClient {

	private final KamailioProperties properties;

	private final ObjectMapper json;

	private final HttpClient http;

	private final AtomicLong ids = new AtomicLong();

	KamailioRpcClient(KamailioProperties properties, ObjectMapper json) {
		this.properties = properties;
		this.json = json;
		this.http = HttpClient.newBuilder().connectTimeout(properties.rpcTimeout()).build();
	}

	/** Kamailio did not answer, or answered with an error. */
	public static class RpcException extends RuntimeException {

		RpcException(String message) {
			super(message);
		}

	}

	/**
	 * Runs one command, e.g. {@code call("stats.get_statistics", "all")}, and returns its
	 * {@code result}.
	 * @throws RpcException when the proxy is unreachable or reports an error
	 */
	public JsonNode call(String method, String... params) {
		ObjectNode request = json.createObjectNode();
		request.put("jsonrpc", "2.0");
		request.put("method", method);
		ArrayNode list = request.putArray("params");
		for (String param : params) {
			list.add(param);
		}
		request.put("id", ids.incrementAndGet());
		HttpResponse<String> response;
		try {
			response = http.send(HttpRequest.newBuilder(properties.rpcUrl())
				.timeout(properties.rpcTimeout())
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(request.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new RpcException(
					"proxy unreachable at " + properties.rpcUrl() + " (" + ex.getClass().getSimpleName() + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RpcException("interrupted");
		}
		if (response.statusCode() != 200) {
			throw new RpcException("proxy answered HTTP " + response.statusCode());
		}
		try {
			JsonNode answer = json.readTree(response.body());
			if (answer.hasNonNull("error")) {
				throw new RpcException(method + " failed: " + answer.path("error").path("message").asText());
			}
			return answer.path("result");
		}
		catch (IOException ex) {
			throw new RpcException("proxy sent a reply that is not JSON");
		}
	}

}
