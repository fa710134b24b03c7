package com.telpro.control.trunk;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
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

	TrunkApiController(TrunkService trunks, TrunkLoadLookup loads) {
		this.trunks = trunks;
		this.loads = loads;
	}

	@GetMapping
	@Operation(summary = "Every trunk in matching order (priority, then name)")
	List<TrunkResponse> list() {
		return trunks.list();
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
