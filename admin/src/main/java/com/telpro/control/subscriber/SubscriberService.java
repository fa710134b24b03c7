package com.telpro.control.subscriber;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import com.telpro.control.config.ConflictException;
import com.telpro.control.config.NotFoundException;
import com.telpro.control.security.AuditableChange;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * SIP accounts for the registrar; a password change applies on the client's next
 * REGISTER.
 */
@Service
public class SubscriberService {

	private final SubscriberRepository subscribers;

	private final ApplicationEventPublisher events;

	SubscriberService(SubscriberRepository subscribers, ApplicationEventPublisher events) {
		this.subscribers = subscribers;
		this.events = events;
	}

	@Transactional(readOnly = true)
	public List<Subscriber> list() {
		return subscribers.findAllByOrderByDomainAscUsernameAsc();
	}

	@Transactional(readOnly = true)
	public Subscriber get(int id) {
		return subscribers.findById(id).orElseThrow(() -> new NotFoundException("subscriber", id));
	}

	@Transactional
	public Subscriber create(String username, String domain, String password) {
		String normalisedDomain = domain.toLowerCase(Locale.ROOT);
		if (subscribers.existsByUsernameAndDomain(username, normalisedDomain)) {
			throw new ConflictException("username",
					"Subscriber " + username + "@" + normalisedDomain + " already exists");
		}
		Subscriber subscriber = new Subscriber(username, normalisedDomain);
		subscriber.changePassword(password);
		Subscriber saved = subscribers.save(subscriber);
		audit("subscriber.create", saved, null, snapshot(saved));
		return saved;
	}

	@Transactional
	public Subscriber changePassword(int id, String password) {
		Subscriber subscriber = get(id);
		subscriber.changePassword(password);
		// the masked snapshots are equal: the marker is what the audit diff shows
		Map<String, Object> after = snapshot(subscriber);
		after.put("password_changed", true);
		audit("subscriber.password", subscriber, snapshot(subscriber), after);
		return subscriber;
	}

	@Transactional
	public void delete(int id) {
		Subscriber subscriber = get(id);
		subscribers.delete(subscriber);
		audit("subscriber.delete", subscriber, snapshot(subscriber), null);
	}

	private void audit(String action, Subscriber subscriber, Map<String, Object> before, Map<String, Object> after) {
		events.publishEvent(new AuditableChange(action, "subscriber", subscriber.getAor(), before, after));
	}

	private static Map<String, Object> snapshot(Subscriber subscriber) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("username", subscriber.getUsername());
		map.put("domain", subscriber.getDomain());
		map.put("password", "***");
		return map;
	}

}
