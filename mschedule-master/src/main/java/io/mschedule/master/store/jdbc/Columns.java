package io.mschedule.master.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Conversions between column values and Java values: instants are epoch milliseconds in a BIGINT
 * (sub-millisecond precision is dropped), lists and maps of strings are JSON text.
 */
final class Columns {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private Columns() {}

  static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value.toEpochMilli());
    }
  }

  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    var millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  static void setInteger(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  static Integer getInteger(ResultSet rs, String column) throws SQLException {
    var value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }

  static Double getDouble(ResultSet rs, String column) throws SQLException {
    var value = rs.getDouble(column);
    return rs.wasNull() ? null : value;
  }

  static String toJson(Object listOrMap) {
    try {
      return JSON.writeValueAsString(listOrMap);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not storable as JSON: " + listOrMap, e);
    }
  }

  static List<String> stringList(ResultSet rs, String column) throws SQLException {
    return fromJson(rs.getString(column), STRING_LIST);
  }

  static Map<String, String> stringMap(ResultSet rs, String column) throws SQLException {
    return fromJson(rs.getString(column), STRING_MAP);
  }

  private static <T> T fromJson(String json, TypeReference<T> type) throws SQLException {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable JSON column value: " + json, e);
    }
  }
}
