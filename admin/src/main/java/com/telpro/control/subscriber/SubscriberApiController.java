package com.telpro.control.subscriber;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** SIP accounts. Passwords are write-only: responses never carry them or their hashes. */
@RestController
@RequestMapping("/api/subscribers")
class SubscriberApiController {

	private final SubscriberService service;

	SubscriberApiController(SubscriberService service) {
		this.service = service;
	}

	record SubscriberResponse(int id, String username, String domain, String aor) {

		static SubscriberResponse of(Subscriber subscriber) {
			return new SubscriberResponse(subscriber.getId(), subscriber.getUsername(), subscriber.getDomain(),
					subscriber.getAor());
		}

	}

	@GetMapping
	List<SubscriberResponse> list() {
		return service.list().stream().map(SubscriberResponse::of).toList();
	}

	@GetMapping("/{id}")
	SubscriberResponse get(@PathVariable int id) {
		return SubscriberResponse.of(service.get(id));
	}

	@PostMapping
	ResponseEntity<SubscriberResponse> create(@Valid @RequestBody SubscriberRequests.Create request) {
		Subscriber created = service.create(request.username(), request.domain(), request.password());
		return ResponseEntity.created(URI.create("/api/subscribers/" + created.getId()))
			.body(SubscriberResponse.of(created));
	}

	@PutMapping("/{id}/password")
	ResponseEntity<Void> changePassword(@PathVariable int id,
			@Valid @RequestBody SubscriberRequests.ChangePassword request) {
		service.changePassword(id, request.password());
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable int id) {
		service.delete(id);
		return ResponseEntity.noContent().build();
	}

}
