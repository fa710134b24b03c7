package com.telpro.control.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.telpro.control.config.FieldProblem;
import com.telpro.control.config.InvalidInputException;
import com.telpro.control.config.JsonFieldProblems;
import com.telpro.control.trunk.TrunkSpec;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.WebDataBinder;

/**
 * The trunk form's values, one per {@link TrunkSpec} component and named as it is (the
 * form posts {@code allowedIps}), as the operator typed them: text for a value, true or
 * false for a checkbox, the chosen values for a group of checkboxes, and a list as text
 * (one entry a line, or separated by commas or spaces). They become a spec the way an API
 * body does, through Jackson, so a form and the API accept and refuse the same input with
 * the same messages, and a new spec field needs no code here: only its input in the
 * template.
 */
@Component
class TrunkFormValues {

	/** Not an operator's input; shown by the edit form. */
	private static final String AUTH_PASS_SET = "authPassSet";

	private static final int MAX_TYPE_ERRORS = 64;

	private final ObjectMapper json;

	private final List<Field> fields;

	TrunkFormValues(ObjectMapper json) {
		this.json = json;
		JavaType spec = json.constructType(TrunkSpec.class);
		this.fields = json.getDeserializationConfig()
			.introspect(spec)
			.findProperties()
			.stream()
			.filter(BeanPropertyDefinition::couldDeserialize)
			.map(Field::of)
			.toList();
	}

	/** A spec's values as the form shows them; never the password. */
	Map<String, Object> of(TrunkSpec spec, boolean authPassSet) {
		JsonNode tree = json.valueToTree(spec);
		Map<String, Object> values = new LinkedHashMap<>();
		for (Field field : fields) {
			values.put(field.form(), field.shown(tree.get(field.json())));
		}
		values.remove("authPass");
		values.put(AUTH_PASS_SET, authPassSet);
		return values;
	}

	/**
	 * {@code values} with what a form posted over them: a field the form sent, or a
	 * checkbox whose marker it sent ({@code _enabled}: shown, left unticked), replaces
	 * the value; the others stay.
	 */
	Map<String, Object> posted(Map<String, Object> values, MultiValueMap<String, String> params) {
		Map<String, Object> merged = new LinkedHashMap<>(values);
		for (Field field : fields) {
			List<String> sent = params.get(field.form());
			boolean marked = params.containsKey(WebDataBinder.DEFAULT_FIELD_MARKER_PREFIX + field.form());
			if (sent == null && !marked) {
				continue;
			}
			merged.put(field.form(), field.posted(sent == null ? List.of() : sent));
		}
		return merged;
	}

	/**
	 * The spec the values describe. A blank value is "not given": the spec's default
	 * applies (the password: the stored one is kept).
	 * @throws InvalidInputException naming every field whose value is not of its type
	 */
	TrunkSpec spec(Map<String, Object> values) {
		ObjectNode tree = json.createObjectNode();
		for (Field field : fields) {
			field.write(values.get(field.form()), tree);
		}
		List<FieldProblem> problems = new ArrayList<>();
		for (int attempt = 0; attempt < MAX_TYPE_ERRORS; attempt++) {
			try {
				TrunkSpec spec = json.treeToValue(tree, TrunkSpec.class);
				if (problems.isEmpty()) {
					return spec;
				}
				break;
			}
			catch (JsonMappingException ex) {
				FieldProblem problem = JsonFieldProblems.of(ex);
				if (problem == null) {
					throw new IllegalStateException("the trunk form's values do not make a spec", ex);
				}
				problems.add(problem);
				tree.remove(ex.getPath().get(0).getFieldName());
			}
			catch (JsonProcessingException ex) {
				throw new IllegalStateException("the trunk form's values do not make a spec", ex);
			}
		}
		throw new InvalidInputException(problems);
	}

	/** One spec component: its form name, JSON name and how the form shows it. */
	private record Field(String form, String json, Kind kind) {

		static Field of(BeanPropertyDefinition property) {
			JavaType type = property.getPrimaryType();
			Kind kind = !type.isCollectionLikeType() ? (type.getRawClass() == Boolean.class ? Kind.CHECKBOX : Kind.TEXT)
					: type.getContentType().isEnumType() ? Kind.CHOICES : Kind.LIST;
			return new Field(property.getInternalName(), property.getName(), kind);
		}

		Object shown(JsonNode value) {
			boolean absent = value == null || value.isNull();
			return switch (kind) {
				case CHECKBOX -> !absent && value.asBoolean();
				case CHOICES -> absent ? List.of() : texts(value);
				case LIST -> absent ? "" : String.join(", ", texts(value));
				case TEXT -> absent ? "" : value.asText();
			};
		}

		Object posted(List<String> sent) {
			return switch (kind) {
				case CHECKBOX -> !sent.isEmpty() && !"false".equals(sent.get(0));
				case CHOICES -> List.copyOf(sent);
				case LIST, TEXT -> sent.isEmpty() ? "" : sent.get(0);
			};
		}

		void write(Object value, ObjectNode tree) {
			if (value instanceof Boolean bool) {
				tree.put(json, bool);
			}
			else if (value instanceof List<?> list) {
				ArrayNode array = tree.putArray(json);
				list.forEach(item -> array.add(String.valueOf(item)));
			}
			else if (value != null && !value.toString().isBlank()) {
				if (kind == Kind.LIST) {
					ArrayNode array = tree.putArray(json);
					Arrays.stream(value.toString().split("[\\s,;]+")).filter(s -> !s.isEmpty()).forEach(array::add);
				}
				else {
					// as typed: a password keeps its spaces; Jackson trims numbers itself
					tree.put(json, value.toString());
				}
			}
			else if (kind == Kind.LIST) {
				tree.putArray(json);
			}
		}

		private static List<String> texts(JsonNode array) {
			List<String> texts = new ArrayList<>();
			array.forEach(item -> texts.add(item.asText()));
			return texts;
		}

	}

	private enum Kind {

		/** A Boolean: a checkbox. */
		CHECKBOX,
		/** A set of enum values: a group of checkboxes. */
		CHOICES,
		/** A list of text: one input, entries a line or separated by commas or spaces. */
		LIST,
		/** Anything else: one input. */
		TEXT

	}

}
