package com.telpro.control.trunk;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The trunk REST API; validation and auditing live in {@link TrunkService}. */
@RestController
@RequestMapping("/api/trunks")
@Tag(name = "Trunks", description = "SIP trunks: how the proxy identifies and authorises a carrier's traffic")
class TrunkApiController {

	private final TrunkService trunks;

	private final TrunkLoadLookup loads;

	private final ObjectWriter listWriter;

	/**
	 * The list last answered and its JSON: {@link TrunkService#list()} returns the same
	 * list while the trunk table is unchanged, so it is serialised once per change, not
	 * per request (1,000 trunks are ~1 MB of JSON).
	 */
	private volatile Serialized lastList;

	private record Serialized(List<TrunkResponse> list, byte[] json) {
	}

	TrunkApiController(TrunkService trunks, TrunkLoadLookup loads, ObjectMapper json) {
		this.trunks = trunks;
		this.loads = loads;
		this.listWriter = json.writerFor(new TypeReference<List<TrunkResponse>>() {
		});
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Every trunk in matching order (priority, then name)")
	@ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
			array = @ArraySchema(schema = @Schema(implementation = TrunkResponse.class))))
	ResponseEntity<byte[]> list() throws JsonProcessingException {
		List<TrunkResponse> list = trunks.list();
		Serialized last = lastList;
		if (last == null || last.list() != list) {
			last = new Serialized(list, listWriter.writeValueAsBytes(list));
			lastList = last;
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(last.json());
	}

	@GetMapping("/{id}")
	@Operation(summary = "One trunk, with its live calls and calls per second across the edges (load)")
	TrunkResponse get(@PathVariable long id) {
		TrunkResponse trunk = trunks.get(id);
		return trunk.withLoad(loads.load(id, trunk.spec().maxConcurrentCalls(), trunk.spec().maxCallsPerSecond()));
	}

	@PostMapping
	@Operation(summary = "Create a trunk; omitted fields take the spec's defaults")
	ResponseEntity<TrunkResponse> create(@RequestBody TrunkSpec request) {
		TrunkResponse created = trunks.create(request);
		return ResponseEntity.created(URI.create("/api/trunks/" + created.id())).body(created);
	}

	@PutMapping("/{id}")
	@Operation(summary = "Replace a trunk; send the version you read, omit auth_pass to keep the password")
	TrunkResponse replace(@PathVariable long id, @RequestBody TrunkSpec request) {
		return trunks.replace(id, request);
	}

	@PostMapping("/{id}/enable")
	TrunkResponse enable(@PathVariable long id) {
		return trunks.setEnabled(id, true);
	}

	@PostMapping("/{id}/disable")
	TrunkResponse disable(@PathVariable long id) {
		return trunks.setEnabled(id, false);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable long id) {
		trunks.delete(id);
		return ResponseEntity.noContent().build();
	}

}
